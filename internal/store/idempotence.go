package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ecslocal/ecslocal/internal/apierr"
)

// Replay looks up a ClientToken of action. Found with the same fingerprint,
// it decodes the remembered answer into resp and reports replayed: the
// action answers resp and changes nothing. Found with another fingerprint,
// the error is IdempotentParameterMismatch. Every action with a
// ClientToken starts its transaction with:
//
//	if replayed, err := store.Replay(ctx, tx, action, token, fingerprint, resp); replayed || err != nil {
//		return err
//	}
func Replay(ctx context.Context, tx Tx, action, token, fingerprint string, resp any) (replayed bool, err error) {
	if token == "" {
		return false, nil
	}
	ct, err := tx.ClientToken(ctx, action, token)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if ct.Hash != fingerprint {
		return true, apierr.IdempotentMismatch.New()
	}
	if err := json.Unmarshal(ct.Response, resp); err != nil {
		return false, fmt.Errorf("decode remembered %s answer: %w", action, err)
	}
	return true, nil
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
