package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

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
	cc, ok := m.(configCacher)
	if !ok {
		err := GetJSON(ctx, m, MetaConfig, &c)
		return c, err
	}
	b, err := m.GetMeta(ctx, MetaConfig)
	if errors.Is(err, ErrNotFound) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	cache := cc.ConfigCache()
	if cache == nil {
		err := json.Unmarshal(b, &c)
		return c, err
	}
	if last := cache.last.Load(); last != nil && bytes.Equal(last.raw, b) {
		c = last.cfg
		c.SoldOutResources = slices.Clone(c.SoldOutResources)
		return c, nil
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("decode meta %s: %w", MetaConfig, err)
	}
	kept := c
	kept.SoldOutResources = slices.Clone(c.SoldOutResources)
	cache.last.Store(&cachedConfig{raw: bytes.Clone(b), cfg: kept})
	return c, nil
}

// ConfigCache keeps a store's last decoded configuration beside its
// encoding, so that LoadConfig, run by every write (the due check, the
// launch, the release), decodes only when the stored bytes changed.
type ConfigCache struct{ last atomic.Pointer[cachedConfig] }

type cachedConfig struct {
	raw []byte
	cfg cloud.Config
}

// configCacher is a MetaTx whose store keeps a ConfigCache.
type configCacher interface{ ConfigCache() *ConfigCache }

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
