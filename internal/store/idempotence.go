package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Replay looks up a ClientToken of action: found with the same fingerprint
// decodes the remembered answer into resp; found with another fingerprint
// reports mismatch, which the action answers as IdempotentParameterMismatch.
func Replay(ctx context.Context, tx Tx, action, token, fingerprint string, resp any) (found, mismatch bool, err error) {
	if token == "" {
		return false, false, nil
	}
	ct, err := tx.ClientToken(ctx, action, token)
	if errors.Is(err, ErrNotFound) {
		return false, false, nil
	}
	if err != nil {
		return false, false, err
	}
	if ct.Hash != fingerprint {
		return true, true, nil
	}
	if err := json.Unmarshal(ct.Response, resp); err != nil {
		return false, false, fmt.Errorf("decode remembered %s answer: %w", action, err)
	}
	return true, false, nil
}

// Remember stores the answer to a ClientToken request in the same
// transaction as its effects, so a replay can never see one without the other.
func Remember(ctx context.Context, tx Tx, action, token, fingerprint string, resp any) error {
	if token == "" {
		return nil
	}
	b, err := json.Marshal(resp)
	if err != nil {
		return fmt.Errorf("encode %s answer: %w", action, err)
	}
	return tx.PutClientToken(ctx, ClientToken{Action: action, Token: token, Hash: fingerprint, Response: b, Created: tx.Now()})
}
