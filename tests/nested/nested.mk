# `make nested-test`: only the nested KVM suite (an emulated arm64 host
# running realmvm on real KVM; several minutes under TCG).
.PHONY: nested-test
nested-test:
	$(Q)tests/nested/suite.sh
