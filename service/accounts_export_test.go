package service

// HashPassword and VerifyPassword expose the password hashing to tests.
var (
	HashPassword   = hashPassword
	VerifyPassword = verifyPassword
)
