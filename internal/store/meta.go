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
	cc, ok := m.(configCacher)
	if !ok {
		c := cloud.DefaultConfig(cloud.ProfileFast)
		err := GetJSON(ctx, m, MetaConfig, &c)
		return c, err
	}
	var b []byte
	var err error
	sm, shared := m.(sharedMetaReader)
	if shared {
		b, err = sm.SharedMeta(ctx, MetaConfig)
	} else {
		b, err = m.GetMeta(ctx, MetaConfig)
	}
	if errors.Is(err, ErrNotFound) {
		return cloud.DefaultConfig(cloud.ProfileFast), nil
	}
	if err != nil {
		return cloud.DefaultConfig(cloud.ProfileFast), err
	}
	cache := cc.ConfigCache()
	if last := cache.lastOf(); last != nil && bytes.Equal(last.raw, b) {
		c := last.cfg
		c.SoldOutResources = slices.Clone(c.SoldOutResources)
		return c, nil
	}
	// The defaults under what the stored document sets.
	c := cloud.DefaultConfig(cloud.ProfileFast)
	if cache == nil {
		err := json.Unmarshal(b, &c)
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("decode meta %s: %w", MetaConfig, err)
	}
	kept := c
	kept.SoldOutResources = slices.Clone(c.SoldOutResources)
	if !shared {
		b = bytes.Clone(b)
	}
	// A shared value is never changed in place: the next reads compare
	// the same bytes, at once.
	cache.last.Store(&cachedConfig{raw: b, cfg: kept})
	return c, nil
}

// sharedMetaReader is a MetaTx that answers a meta value without a copy
// (the memory store's values are replaced, never changed in place): for a
// reader that does not change it, as LoadConfig, run by every write.
type sharedMetaReader interface {
	SharedMeta(ctx context.Context, key string) ([]byte, error)
}

// ConfigCache keeps a store's last decoded configuration beside its
// encoding, so that LoadConfig, run by every write (the due check, the
// launch, the release), decodes only when the stored bytes changed.
type ConfigCache struct{ last atomic.Pointer[cachedConfig] }

// lastOf answers the configuration c keeps; nil for none or a nil c.
func (c *ConfigCache) lastOf() *cachedConfig {
	if c == nil {
		return nil
	}
	return c.last.Load()
}

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
