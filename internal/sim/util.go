package sim

import (
	"encoding/json"
)

// deepCopy copies an SDK value through JSON, so that what the simulator
// stores and what callers hold never share slices or pointers: a caller
// that edits a described task definition before registering it must not
// edit the registered one too.
func deepCopy[T any](v T) T {
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		panic("sim: deepCopy: " + err.Error())
	}
	if err := json.Unmarshal(b, &out); err != nil {
		panic("sim: deepCopy: " + err.Error())
	}
	return out
}

// callerARN is who the demo's calls are made as.
func (a *Account) callerARN() string {
	return "arn:" + a.partition() + ":sts::" + a.account + ":assumed-role/ecsdoctor-demo/learner"
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
