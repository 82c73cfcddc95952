package testkit

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU the test process has used, user and system: on a
// machine shared with other work a benchmark's CPU per operation measures
// its cost where the wall clock measures the queue for the cores.
func ProcessCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
