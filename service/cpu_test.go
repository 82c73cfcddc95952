package service_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU the test process has used, user and system: on a
// machine shared with other work it measures a benchmark's cost where the
// wall clock measures the queue for the cores.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
