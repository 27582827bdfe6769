package testenv

import "time"

// clockTicksPerSecond is Linux's USER_HZ, the unit of /proc/<pid>/stat's times.
const clockTicksPerSecond = 100

// CPUTime is the user and system time a process has used so far (benchmarks read it for the
// test Neo4j, whose pid Neo4jPID gives).
func CPUTime(pid int) (time.Duration, error) {
	ticks, err := cpuTicks(pid)
	if err != nil {
		return 0, err
	}
	return time.Duration(ticks) * time.Second / clockTicksPerSecond, nil
}
