// Verify a COSE_Sign1 message with npm's cose-js, an implementation
// independent of realmvm's OpenSSL signer and of python3-cryptography.
// usage: node cose_verify.js SIGNED.cbor PUBKEY.pem
// Prints the payload as hex and exits 0 on a good signature, 1 otherwise.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const cose = require('cose-js');

const [msgPath, keyPath] = process.argv.slice(2);
const jwk = crypto.createPublicKey(fs.readFileSync(keyPath)).export({ format: 'jwk' });
const verifier = {
	key: {
		x: Buffer.from(jwk.x, 'base64url'),
		y: Buffer.from(jwk.y, 'base64url'),
	},
};
cose.sign.verify(fs.readFileSync(msgPath), verifier)
	.then((payload) => {
		console.log(Buffer.from(payload).toString('hex'));
	})
	.catch((err) => {
		console.error('cose-js: ' + err.message);
		process.exit(1);
	});
