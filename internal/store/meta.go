package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ecslocal/ecslocal/internal/cloud"
)

// Meta keys.
const (
	MetaConfig = "config"
	MetaClock  = "clock"
	MetaFaults = "faults"
)

// LoadConfig reads the runtime switches; unset means the fast defaults.
func LoadConfig(ctx context.Context, m MetaTx) (cloud.Config, error) {
	c := cloud.DefaultConfig(cloud.ProfileFast)
	err := GetJSON(ctx, m, MetaConfig, &c)
	return c, err
}

// GetJSON reads a meta value into v; an unset key leaves v as it is.
func GetJSON(ctx context.Context, m MetaTx, key string, v any) error {
	b, err := m.GetMeta(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode meta %s: %w", key, err)
	}
	return nil
}

// PutJSON writes v as a meta value.
func PutJSON(ctx context.Context, m MetaTx, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode meta %s: %w", key, err)
	}
	return m.PutMeta(ctx, key, b)
}
