package notice

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// UnsubscribeToken returns the token of the unsubscribe link for username:
// the username and an HMAC-SHA-256 of it under secret (truncated to 128
// bits), so the unsubscribe page can act without the person signing in, and
// nobody can make a token for someone else. It never expires: an old e-mail's
// link must still work (RFC 8058 asks that one-click links keep working).
func UnsubscribeToken(secret []byte, username string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(username)) + "." + enc.EncodeToString(unsubscribeMAC(secret, username))
}

// VerifyUnsubscribe returns the username a token was made for, and whether
// the token is genuine.
func VerifyUnsubscribe(secret []byte, token string) (username string, ok bool) {
	u, m, found := strings.Cut(token, ".")
	if !found {
		return "", false
	}
	// Strict: one spelling per token. Lenient decoding ignores the last
	// character's unused bits, so four spellings of a MAC would pass.
	enc := base64.RawURLEncoding.Strict()
	name, err1 := enc.DecodeString(u)
	mac, err2 := enc.DecodeString(m)
	if err1 != nil || err2 != nil || len(secret) == 0 {
		return "", false
	}
	if !hmac.Equal(mac, unsubscribeMAC(secret, string(name))) {
		return "", false
	}
	return string(name), true
}

func unsubscribeMAC(secret []byte, username string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("pishran-unsubscribe\x00"))
	h.Write([]byte(username))
	return h.Sum(nil)[:16]
}
