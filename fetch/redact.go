package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// secretParams are query parameters that carry credentials, compared in
// lower case: their values never appear in a log line or the state file.
var secretParams = map[string]bool{
	"access_token": true, "token": true, "api_key": true, "apikey": true, "key": true,
	"secret": true, "client_secret": true, "password": true, "passwd": true, "pwd": true,
	"auth": true, "signature": true, "sig": true, "x-amz-signature": true, "x-amz-credential": true,
	"x-amz-security-token": true, "code": true,
}

// Redact is rawURL as it may be shown or stored: without the user and
// password of its user info, and with the values of credential-bearing
// query parameters (access_token, token, key, signature…) replaced by
// "xxxxx". A URL that does not parse is replaced as a whole.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User("xxxxx")
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		for i, p := range parts {
			name, _, hasValue := strings.Cut(p, "=")
			key, err := url.QueryUnescape(name)
			if err != nil {
				key = name
			}
			if hasValue && secretParams[strings.ToLower(key)] {
				parts[i] = name + "=xxxxx"
			}
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// stateKey is the key of a source in the state file: its redacted URL and a
// digest of the whole URL, so that two sources differing only by their
// credentials keep apart and no credential is written.
func stateKey(rawURL string) string {
	sum := sha256.Sum256([]byte(rawURL))
	return Redact(rawURL) + " sha256:" + hex.EncodeToString(sum[:8])
}
