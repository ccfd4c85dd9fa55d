#!/bin/bash
# CCA-host suite (TAP): realms booted on the Arm CCA host named by
# REALMVM_TEST_HOST (local or ssh:user@host).  Without one, every test is
# reported as skipped with the reason.  See docs/fvp.md.
set -uo pipefail
cd "$(dirname "$0")/../.."
exec bats --tap tests/fvp
