#!/usr/bin/python3
"""Strict structural check of a CCA realm CoRIM with python3-cbor2, and
of its COSE_Sign1 signature with python3-cryptography: independent of
realmvm's libcbor writer and its reader.

usage: check_corim.py FILE [--pub PUBKEY.pem] [--profile cca-04|cca-03]
       [--rim HEX]... [--rpv HEX] [--rem N=HEX]... [--signer NAME]
       [--chain N]
Every --rim must be the RIM of exactly one record, and there must be no
other record.  Prints "ok" lines; exits 1 naming the first problem.
"""
import argparse
import sys

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

URIS = {"cca-04": "tag:arm.com,2025:endorsements/cca_realm#1.0.0",
        "cca-03": "tag:arm.com,2025:cca_realm#1.0.0"}
ALGS = {"sha-256": 32, "sha-512": 64, 1: 32, 8: 64}


def fail(msg):
    print("check_corim: " + msg, file=sys.stderr)
    sys.exit(1)


def need(cond, msg):
    if not cond:
        fail(msg)


def no_indefinite_and_canonical(data, what):
    obj = cbor2.loads(data)
    need(cbor2.dumps(obj, canonical=True) == data,
         what + " is not in canonical (deterministic) form")
    return obj


def check_signed(raw, a):
    top = cbor2.loads(raw)
    need(isinstance(top, cbor2.CBORTag) and top.tag == 18,
         "signed CoRIM is not tag 18")
    need(isinstance(top.value, list) and len(top.value) == 4,
         "COSE_Sign1 is not a 4-array")
    prot_b, unprot, payload, sig = top.value
    prot = no_indefinite_and_canonical(prot_b, "protected header")
    need(unprot == {}, "unprotected header is not empty")
    need(prot.get(3) == "application/rim+cbor", "content type")
    alg = prot.get(1)
    need(alg in (-7, -35), "alg is not ES256/ES384")
    meta = cbor2.loads(prot[8])
    need(isinstance(meta, dict) and isinstance(meta[0][0], str),
         "corim-meta is not {0: {0: name}}")
    if a.signer:
        need(meta[0][0] == a.signer, "signer name " + meta[0][0])
    if a.chain is not None:
        x5 = prot.get(33)
        certs = x5 if isinstance(x5, list) else [x5]
        need(x5 is not None and len(certs) == a.chain and
             all(isinstance(c, bytes) for c in certs),
             "x5chain does not hold %d certificates" % a.chain)
    else:
        need(33 not in prot, "unexpected x5chain")
    md, size = (hashes.SHA256(), 32) if alg == -7 else (hashes.SHA384(), 48)
    need(len(sig) == 2 * size, "signature is not r||s of the curve size")
    tbs = cbor2.dumps(["Signature1", prot_b, b"", payload])
    with open(a.pub, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    der = utils.encode_dss_signature(int.from_bytes(sig[:size], "big"),
                                     int.from_bytes(sig[size:], "big"))
    try:
        key.verify(der, tbs, ec.ECDSA(md))
    except Exception:
        fail("signature does not verify with " + a.pub)
    print("ok signature alg %d signer %s" % (alg, meta[0][0]))
    return payload


def check_record(rec, a, rems):
    need(isinstance(rec, list) and len(rec) == 2, "record is not a 2-array")
    env, ms = rec
    need(list(env.keys()) == [0] and list(env[0].keys()) == [0],
         "environment is not {0: {0: class-id}}")
    cid = env[0][0]
    need(isinstance(cid, cbor2.CBORTag) and cid.tag == 560 and
         len(cid.value) in (32, 48, 64), "class-id is not 560(RIM bytes)")
    need(isinstance(ms, list) and ms, "measurements is not a non-empty list")
    seen = {}
    alg = None
    for m in ms:
        need(isinstance(m, dict) and sorted(m.keys()) == [0, 1],
             "measurement-map keys are not {0, 1} (no authorized-by)")
        key, mval = m[0], m[1]
        need(isinstance(key, str), "mkey is not text")
        need(key not in seen, "mkey %s twice" % key)
        if key == "cca.rpv":
            need(list(mval.keys()) == [4], "cca.rpv mval is not {4: ...}")
            rv = mval[4]
            need(isinstance(rv, cbor2.CBORTag) and rv.tag == 560 and
                 len(rv.value) == 64, "cca.rpv is not 560(64 bytes)")
            seen[key] = rv.value
            continue
        need(key == "cca.rim" or key in ("cca.rem%d" % i for i in range(4)),
             "unknown mkey " + key)
        need(list(mval.keys()) == [2], key + " mval is not {2: digests}")
        d = mval[2]
        need(isinstance(d, list) and len(d) == 1 and len(d[0]) == 2,
             key + " digests is not [[alg, value]]")
        dalg, val = d[0]
        need(dalg in ALGS and ALGS[dalg] == len(val),
             key + " digest alg/size mismatch")
        need(alg is None or alg == dalg, key + " uses another algorithm")
        alg = dalg
        seen[key] = val
    need("cca.rim" in seen, "no cca.rim")
    need(seen["cca.rim"] == cid.value, "class-id differs from cca.rim")
    if a.rpv is not None:
        need(seen.get("cca.rpv") == bytes.fromhex(a.rpv).ljust(64, b"\0"),
             "cca.rpv differs from --rpv")
    else:
        need("cca.rpv" not in seen, "cca.rpv present though not given")
    for i in range(4):
        k = "cca.rem%d" % i
        need(seen.get(k) == rems.get(i), k + " differs from what was given")
    return seen["cca.rim"].hex(), alg


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--pub")
    p.add_argument("--profile", default="cca-04")
    p.add_argument("--rim", action="append", default=[])
    p.add_argument("--rpv")
    p.add_argument("--rem", action="append", default=[])
    p.add_argument("--signer")
    p.add_argument("--chain", type=int)
    a = p.parse_args()
    rems = {int(r[0]): bytes.fromhex(r[2:]) for r in a.rem}

    with open(a.file, "rb") as f:
        raw = f.read()
    if a.pub:
        raw = check_signed(raw, a)
    need(raw[:3] == b"\xd9\x01\xf5", "does not start with tag 501")
    top = no_indefinite_and_canonical(raw, "CoRIM")
    need(isinstance(top, cbor2.CBORTag) and top.tag == 501, "not tag 501")
    cm = top.value
    need(sorted(cm.keys()) == [0, 1, 3], "corim-map keys are not 0, 1, 3")
    need(isinstance(cm[0], bytes) and len(cm[0]) == 16, "corim-id")
    need(cm[3] == cbor2.CBORTag(32, URIS[a.profile]), "profile URI")
    need(isinstance(cm[1], list) and len(cm[1]) == 1, "tags")
    tag = cm[1][0]
    need(isinstance(tag, cbor2.CBORTag) and tag.tag == 506 and
         isinstance(tag.value, bytes), "tag is not 506(bstr)")
    comid = no_indefinite_and_canonical(tag.value, "CoMID")
    need(sorted(comid.keys()) == [1, 4], "CoMID keys are not 1, 4")
    need(list(comid[1].keys()) == [0] and len(comid[1][0]) == 16,
         "tag-identity is not {0: 16-byte id}")
    need(list(comid[4].keys()) == [0], "triples hold more than key 0")
    recs = comid[4][0]
    need(isinstance(recs, list) and recs, "no reference triples")
    rims = [check_record(r, a, rems) for r in recs]
    got = sorted(r for r, _ in rims)
    need(len(set(got)) == len(got), "two records with one RIM")
    if a.rim:
        need(got == sorted(set(a.rim)),
             "records hold RIMs %s, expected %s" % (got, sorted(set(a.rim))))
    for r, alg in rims:
        print("ok record %s %s" % (alg, r))
    print("ok %d records, profile %s" % (len(rims), a.profile))


if __name__ == "__main__":
    main()
