package store

import "time"

// ClaimRun claims the run of job for slot (a period such as a day,
// "2024-06-10"). It reports false when another instance, or an earlier run
// of this one, has claimed it already: the claim is a row whose key both
// engines keep unique, so exactly one claimant wins. A claim left
// unfinished for longer than lease (its instance died mid-run) is taken
// over, by one claimant, so the run is done after all.
func (t *Tx) ClaimRun(job, slot, instance string, lease time.Duration) (bool, error) {
	res, err := t.exec(`INSERT INTO job_runs (job, slot, instance, started_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (job, slot) DO NOTHING`, job, slot, instance, stamp(t.now))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return n == 1, err
	}
	res, err = t.exec(`UPDATE job_runs SET instance = ?, started_at = ?
		WHERE job = ? AND slot = ? AND finished_at IS NULL AND started_at < ?`,
		instance, stamp(t.now), job, slot, stamp(t.now.Add(-lease)))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseRun gives up an unfinished claim (the run failed), so the slot is
// tried again at the next tick.
func (t *Tx) ReleaseRun(job, slot, instance string) error {
	_, err := t.exec("DELETE FROM job_runs WHERE job = ? AND slot = ? AND instance = ? AND finished_at IS NULL", job, slot, instance)
	return err
}

// FinishRun records how a claimed run ended.
func (t *Tx) FinishRun(job, slot, outcome string) error {
	_, err := t.exec("UPDATE job_runs SET finished_at = ?, outcome = ? WHERE job = ? AND slot = ?", stamp(t.now), outcome, job, slot)
	return err
}

// JobRun is one claimed run of a background job.
type JobRun struct {
	Job      string
	Slot     string
	Instance string
	Outcome  string
}

// JobRuns lists the runs of a job, newest slot first.
func (t *Tx) JobRuns(job string, limit int) ([]JobRun, error) {
	return list(t, scanJobRun, "SELECT job, slot, instance, outcome FROM job_runs WHERE job = ? ORDER BY slot DESC LIMIT ?", job, limit)
}

func scanJobRun(sc scanner) (JobRun, error) {
	var r JobRun
	err := sc.Scan(&r.Job, &r.Slot, &r.Instance, &r.Outcome)
	return r, err
}
