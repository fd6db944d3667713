package cloud

// Grouped is a kind JoinResourceGroup moves between resource groups.
type Grouped interface {
	Resource
	// WithResourceGroup is the resource in group rg.
	WithResourceGroup(rg string) Resource
}

// WithResourceGroup implements Grouped.
func (i Instance) WithResourceGroup(rg string) Resource { i.ResourceGroup = rg; return i }

// WithResourceGroup implements Grouped.
func (d Disk) WithResourceGroup(rg string) Resource { d.ResourceGroup = rg; return d }

// WithResourceGroup implements Grouped.
func (s Snapshot) WithResourceGroup(rg string) Resource { s.ResourceGroup = rg; return s }

// WithResourceGroup implements Grouped.
func (m CustomImage) WithResourceGroup(rg string) Resource { m.ResourceGroup = rg; return m }

// WithResourceGroup implements Grouped.
func (s SecurityGroup) WithResourceGroup(rg string) Resource { s.ResourceGroup = rg; return s }

// WithResourceGroup implements Grouped.
func (e ENI) WithResourceGroup(rg string) Resource { e.ResourceGroup = rg; return e }

// WithResourceGroup implements Grouped.
func (k KeyPair) WithResourceGroup(rg string) Resource { k.ResourceGroup = rg; return k }

// WithResourceGroup implements Grouped.
func (t LaunchTemplate) WithResourceGroup(rg string) Resource { t.ResourceGroup = rg; return t }

// WithResourceGroup implements Grouped.
func (h DedicatedHost) WithResourceGroup(rg string) Resource { h.ResourceGroup = rg; return h }

// WithResourceGroup implements Grouped.
func (c DedicatedHostCluster) WithResourceGroup(rg string) Resource { c.ResourceGroup = rg; return c }
