package cloud

import "time"

// KindImageComponent is the stored kind of image builder components.
const KindImageComponent = "imagecomponent"

// ImageComponent is an image builder component (CreateImageComponent): a
// named, versioned build or test script an image pipeline would run.
// ecslocal has no pipelines, so nothing uses a component.
type ImageComponent struct {
	ID            string    `json:"id"`
	Region        string    `json:"region"`
	Name          string    `json:"name"`
	Version       string    `json:"version,omitempty"`
	Description   string    `json:"description,omitempty"`
	SystemType    string    `json:"systemType"`    // Linux | Windows
	ComponentType string    `json:"componentType"` // Build | Test
	Content       string    `json:"content"`
	ResourceGroup string    `json:"resourceGroup,omitempty"`
	Tags          []Tag     `json:"tags,omitempty"`
	Created       time.Time `json:"created"`
}

// Kind implements Resource.
func (ImageComponent) Kind() string { return KindImageComponent }

// Key implements Resource.
func (c ImageComponent) Key() string { return c.ID }

// RegionID implements Resource.
func (c ImageComponent) RegionID() string { return c.Region }

// NextDue implements Resource.
func (ImageComponent) NextDue() time.Time { return time.Time{} }

// Indexes implements Resource.
func (c ImageComponent) Indexes() []Index { return []Index{{IdxName, c.Name}} }

// imageComponentKind declares the kind to the registry (registry.go). It
// has no place in a release; its tags are kept and shown, but the tag
// actions do not reach it.
var imageComponentKind = Kind{
	Name:    KindImageComponent,
	Prefix:  "ic",
	Indexes: []IndexDecl{{IdxName, "DescribeImageComponents Name; a name and version are unique"}},
	Decode:  decoder[ImageComponent](),
}
