package cloud

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestFormatUTCIsFormat: the hand-written formats write what time.Format
// writes, for any instant and zone, and "" for the zero time; the Append
// forms append the same after what a buffer holds.
func TestFormatUTCIsFormat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	zone := time.FixedZone("UTC+8", 8*3600)
	times := []time.Time{
		time.Date(2099, 12, 31, 15, 59, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-5, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 26, 7, 5, 9, 0, zone),
	}
	for range 10000 {
		times = append(times, time.Unix(rng.Int64N(1<<36)-1<<35, rng.Int64N(1e9)).In(zone))
	}
	for _, tm := range times {
		if got, want := FormatMinute(tm), tm.UTC().Format(minuteFormat); got != want {
			t.Fatalf("FormatMinute(%v) = %q, want %q", tm, got, want)
		}
		if got, want := FormatSecond(tm), tm.UTC().Format(secondFormat); got != want {
			t.Fatalf("FormatSecond(%v) = %q, want %q", tm, got, want)
		}
		if got, want := string(AppendMinute([]byte("x"), tm)), "x"+tm.UTC().Format(minuteFormat); got != want {
			t.Fatalf("AppendMinute(%v) = %q, want %q", tm, got, want)
		}
		if got, want := string(AppendSecond([]byte("x"), tm)), "x"+tm.UTC().Format(secondFormat); got != want {
			t.Fatalf("AppendSecond(%v) = %q, want %q", tm, got, want)
		}
	}
	if string(AppendMinute([]byte("x"), time.Time{})) != "x" || string(AppendSecond([]byte("x"), time.Time{})) != "x" {
		t.Fatal("the zero time appends something")
	}
	if FormatMinute(time.Time{}) != "" || FormatSecond(time.Time{}) != "" {
		t.Fatal("the zero time is not empty")
	}
}
