# SPDX-License-Identifier: GPL-2.0
#
# Certificates for the IKE tests, made at test time with the openssl CLI
# (never committed): CAs and the host certificates they sign, expired
# ones, CRLs. RSA 2048, SHA-256. Every name is C=CH, O=esptun, CN=...;
# keys are mode 0600 (the daemon refuses a key others may read).
#
# pki_init DIR: $PKI=DIR, where the rest write; NAME below is a file stem.
# pki_ca NAME: a self-signed CA "CN=NAME": $PKI/NAME.crt and NAME.key,
#   with the database `openssl ca` keeps for it.
# pki_cert CA NAME [cn=CN] [ip=ADDR] [key=OTHER] [expired=1] [ec=1]: $PKI/NAME.crt
#   signed by CA, subject CN=CN (default NAME), subjectAltName DNS:CN (and
#   IP:ADDR), key usage digitalSignature; its key is $PKI/NAME.key, new, or
#   OTHER's (one RSA key is seconds under TCG: spend it once); ec=1: a new
#   EC key on P-256 (ECDSA, RFC 4754). Valid from
#   a day ago for 30 days; expired=1: from 30 days ago to yesterday
#   (`openssl ca -startdate/-enddate`: OpenSSL 3.0's x509 has no
#   -not_before/-not_after).
# pki_revoke CA NAME: revoke NAME.crt (which CA signed) and write the CA's
#   CRL, $PKI/CA.crl; pki_crl CA writes it alone (then it revokes none).

PKI=

pki_init() {
	PKI=$1
	mkdir -p "$PKI"
}

# pki_key FILE [ec]: an RSA 2048 key (ec: EC on P-256), PKCS#8 PEM, mode 0600.
pki_key() {
	local opts=(-algorithm RSA -pkeyopt rsa_keygen_bits:2048)
	[ "${2:-}" = ec ] && opts=(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)
	(umask 077 && openssl genpkey "${opts[@]}" -out "$1" 2>/dev/null) ||
		fail "openssl genpkey $1"
}

pki_ca() {
	local ca=$1 db=$PKI/$1.db
	mkdir -p "$db"
	: >"$db/index.txt"
	echo 1000 >"$db/serial"
	echo 1000 >"$db/crlnumber"
	cat >"$db/ca.cnf" <<-EOF
	[ca]
	default_ca = this
	[this]
	database = $db/index.txt
	serial = $db/serial
	crlnumber = $db/crlnumber
	new_certs_dir = $db
	certificate = $PKI/$ca.crt
	private_key = $PKI/$ca.key
	default_md = sha256
	default_crl_days = 30
	policy = any
	unique_subject = no
	copy_extensions = none
	[any]
	countryName = optional
	organizationName = optional
	commonName = supplied
	EOF
	pki_key "$PKI/$ca.key"
	openssl req -x509 -new -key "$PKI/$ca.key" -sha256 -days 30 \
		-subj "/C=CH/O=esptun/CN=$ca" \
		-addext "basicConstraints=critical,CA:true" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out "$PKI/$ca.crt" 2>/dev/null || fail "openssl req: CA $ca"
}

pki_cert() {
	local ca=$1 name=$2 cn=$2 ip='' key='' expired='' ec='' kv start end
	shift 2
	for kv in "$@"; do
		case $kv in
		cn=*) cn=${kv#cn=} ;;
		ip=*) ip=${kv#ip=} ;;
		key=*) key=${kv#key=} ;;
		expired=*) expired=${kv#expired=} ;;
		ec=*) ec=ec ;;
		*) fail "pki_cert: $kv?" ;;
		esac
	done
	if [ -n "$key" ]; then
		cp -p "$PKI/$key.key" "$PKI/$name.key"
	else
		pki_key "$PKI/$name.key" $ec
	fi
	start=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
	end=$(date -u -d '+30 days' +%Y%m%d%H%M%SZ)
	if [ -n "$expired" ]; then
		start=$(date -u -d '-30 days' +%Y%m%d%H%M%SZ)
		end=$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)
	fi
	openssl req -new -key "$PKI/$name.key" -subj "/C=CH/O=esptun/CN=$cn" \
		-out "$PKI/$name.csr" 2>/dev/null || fail "openssl req: $name"
	cat >"$PKI/$name.ext" <<-EOF
	basicConstraints = critical, CA:false
	keyUsage = critical, digitalSignature
	subjectKeyIdentifier = hash
	authorityKeyIdentifier = keyid
	subjectAltName = DNS:$cn${ip:+, IP:$ip}
	EOF
	openssl ca -batch -notext -config "$PKI/$ca.db/ca.cnf" -extfile "$PKI/$name.ext" \
		-startdate "$start" -enddate "$end" \
		-in "$PKI/$name.csr" -out "$PKI/$name.crt" >"$PKI/$name.ca.out" 2>&1 ||
		{ cat "$PKI/$name.ca.out"; fail "openssl ca: $name"; }
}

pki_crl() {
	openssl ca -batch -config "$PKI/$1.db/ca.cnf" -gencrl -out "$PKI/$1.crl" \
		>"$PKI/$1.crl.out" 2>&1 || { cat "$PKI/$1.crl.out"; fail "openssl ca -gencrl $1"; }
}

pki_revoke() {
	openssl ca -batch -config "$PKI/$1.db/ca.cnf" -revoke "$PKI/$2.crt" \
		>"$PKI/$2.revoke.out" 2>&1 || { cat "$PKI/$2.revoke.out"; fail "openssl ca -revoke $2"; }
	pki_crl "$1"
}
