package memory_test

import (
	"testing"

	"github.com/ecslocal/ecslocal/internal/store"
	"github.com/ecslocal/ecslocal/internal/store/memory"
	"github.com/ecslocal/ecslocal/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) store.Store { return memory.Open() })
}
