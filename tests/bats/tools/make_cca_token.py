#!/usr/bin/python3
"""Build a CCA attestation token for tests, with python3-cbor2 and
python3-cryptography (independent of realmvm's decoder and signer).

The layout is the published one: a tag-399 collection holding the
platform token (44234) and the realm delegated token (44241), each a
tagged COSE_Sign1 over its claims map; the platform challenge is the
hash of the realm attestation key (RAK).

usage: make_cca_token.py OUT --rak RAK.pem --iak IAK.pem --rim HEX
       [--hash sha-256|sha-512] [--rpv HEX] [--challenge HEX]
       [--rem HEX] [--tamper realm|platform]
"""
import argparse
import hashlib

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

COSE_ALG = {"secp256r1": (-7, hashes.SHA256(), 32),
            "secp384r1": (-35, hashes.SHA384(), 48)}


def load_key(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def sign1(key, claims, tamper=None):
    alg, md, size = COSE_ALG[key.curve.name]
    prot = cbor2.dumps({1: alg})
    payload = cbor2.dumps(claims)
    tbs = cbor2.dumps(["Signature1", prot, b"", payload])
    r, s = utils.decode_dss_signature(key.sign(tbs, ec.ECDSA(md)))
    sig = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if tamper:
        payload = cbor2.dumps(tamper)
    return cbor2.dumps(cbor2.CBORTag(18, [prot, {}, payload, sig]))


def pad(hexstr, size):
    b = bytes.fromhex(hexstr)
    return b + bytes(size - len(b))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--rak", required=True)
    p.add_argument("--iak", required=True)
    p.add_argument("--rim", required=True)
    p.add_argument("--hash", default="sha-256")
    p.add_argument("--rpv", default="")
    p.add_argument("--challenge", default="c3" * 64)
    p.add_argument("--rem", default=None)
    p.add_argument("--tamper", choices=["realm", "platform"])
    a = p.parse_args()

    rak, iak = load_key(a.rak), load_key(a.iak)
    rim = bytes.fromhex(a.rim)
    rem = bytes.fromhex(a.rem) if a.rem else bytes(len(rim))
    point = rak.public_key().public_bytes(
        serialization.Encoding.X962,
        serialization.PublicFormat.UncompressedPoint)
    realm = {10: pad(a.challenge, 64), 44235: pad(a.rpv, 64),
             44236: a.hash, 44237: point, 44238: rim,
             44239: [rem, rem, rem, rem], 44240: "sha-384"}
    plat = {10: hashlib.sha384(point).digest()}
    bad_realm = bad_plat = None
    if a.tamper == "realm":
        bad_realm = dict(realm)
        bad_realm[44238] = bytes([rim[0] ^ 1]) + rim[1:]
    if a.tamper == "platform":
        bad_plat = {10: bytes(48)}
    token = cbor2.CBORTag(399, {44234: sign1(iak, plat, bad_plat),
                                44241: sign1(rak, realm, bad_realm)})
    with open(a.out, "wb") as f:
        f.write(cbor2.dumps(token))


if __name__ == "__main__":
    main()
