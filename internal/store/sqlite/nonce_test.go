package sqlite

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ecslocal/ecslocal/internal/store"
)

// TestNoncesSurviveRestart: a nonce used before a restart is refused after
// it inside the window, and forgotten once the window has passed.
func TestNoncesSurviveRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "n.db")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"n-1", "n-old"} {
		at := t0
		if n == "n-old" {
			at = t0.Add(-store.NonceWindow - time.Minute)
		}
		if fresh, err := db.UseNonce(ctx, "AK", n, at); err != nil || !fresh {
			t.Fatalf("first use of %s: fresh %v, %v", n, fresh, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = mustOpen(t, path)
	if fresh, err := db.UseNonce(ctx, "AK", "n-1", t0.Add(time.Minute)); err != nil || fresh {
		t.Errorf("replay after a restart inside the window: fresh %v, %v; want refused", fresh, err)
	}
	if fresh, err := db.UseNonce(ctx, "AK2", "n-1", t0.Add(time.Minute)); err != nil || !fresh {
		t.Errorf("the same nonce of another key: fresh %v, %v", fresh, err)
	}
	// Expired before the restart: not loaded, and its row is gone.
	if fresh, err := db.UseNonce(ctx, "AK", "n-old", t0.Add(time.Minute)); err != nil || !fresh {
		t.Errorf("a nonce older than the window: fresh %v, %v; want forgotten", fresh, err)
	}
	// Past the window the kept nonce is forgotten too.
	if fresh, err := db.UseNonce(ctx, "AK", "n-1", t0.Add(store.NonceWindow+time.Second)); err != nil || !fresh {
		t.Errorf("the nonce after its window: fresh %v, %v", fresh, err)
	}
}

// TestNonceBatchV1: the packed form of a batch, as stored, decodes to its
// nonces, and a batch is written in that form.
func TestNonceBatchV1(t *testing.T) {
	stored := []byte{nonceBatchV1, 2, 'A', 'K', 3, 'n', '-', '1', 0xf6, 0x01, 0, 1, 'x', 0x01}
	batch := []usedNonce{{"AK", "n-1", 123}, {"", "x", -1}}
	var got []usedNonce
	if err := eachNonce(stored, func(ak, nonce string, seen int64) { got = append(got, usedNonce{ak, nonce, seen}) }); err != nil || !slices.Equal(got, batch) {
		t.Errorf("decoded %+v, %v; want %+v", got, err, batch)
	}
	if b := appendNonces(nil, batch); !bytes.Equal(b, stored) {
		t.Errorf("written as %x, want %x", b, stored)
	}
	if err := eachNonce(stored[:len(stored)-2], func(string, string, int64) {}); err == nil {
		t.Error("a cut batch decoded without an error")
	}
}
