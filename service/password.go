package service

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// argonParams are argon2id's cost parameters. Each hash records its own (PHC
// string format), so raising them later leaves older hashes verifiable.
type argonParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// passwordParams follow RFC 9106's second recommended option (64 MiB, three
// passes, four lanes): about a tenth of a second per hash on a small server.
var passwordParams = argonParams{Memory: 64 * 1024, Time: 3, Threads: 4, KeyLen: 32, SaltLen: 16}

// hashSlots bounds how many hashes run at once: each takes 64 MiB, so a
// burst of sign-ins must queue rather than exhaust memory.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

func argonKey(password string, salt []byte, p argonParams) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// hashPassword returns the argon2id hash of password in PHC string format,
// with a fresh random salt:
//
//	$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>
func hashPassword(password string) (string, error) {
	p := passwordParams
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argonKey(password, salt, p)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed password hash")

// parseHash reads a PHC argon2id string. Parameters out of sane bounds are
// refused, so a tampered row cannot make one sign-in eat the server.
func parseHash(phc string) (p argonParams, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, errBadHash
	}
	if p.Memory < 8*1024 || p.Memory > 1<<20 || p.Time < 1 || p.Time > 20 || p.Threads < 1 || p.Threads > 16 {
		return p, nil, nil, errBadHash
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errBadHash
	}
	p.KeyLen, p.SaltLen = uint32(len(key)), uint32(len(salt))
	return p, salt, key, nil
}

// verifyPassword reports whether password matches the PHC hash, comparing
// in constant time.
func verifyPassword(phc, password string) bool {
	p, salt, key, err := parseHash(phc)
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(argonKey(password, salt, p), key) == 1
}

// dummyHash is hashed against when there is no real hash to check (an
// unknown username, a disabled account, one without a password), so every
// refusal costs the same time as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	var b [24]byte
	rand.Read(b[:])
	h, err := hashPassword(base64.RawStdEncoding.EncodeToString(b[:]))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return h
})

// checkPassword verifies password against phc, or, when phc is empty,
// spends the same time on the dummy hash and fails.
func checkPassword(phc, password string) bool {
	if phc == "" {
		verifyPassword(dummyHash(), password)
		return false
	}
	return verifyPassword(phc, password)
}
