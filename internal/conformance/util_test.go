package conformance

import "errors"

func errorsAs[T error](err error, target *T) bool { return errors.As(err, target) }

// firstField is the member path of a finding ("A.B (why)" → "A.B").
func firstField(finding string) string {
	for i, r := range finding {
		if r == ' ' {
			return finding[:i]
		}
	}
	return finding
}
