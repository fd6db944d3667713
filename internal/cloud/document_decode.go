package cloud

import (
	"strings"
	"time"
	"unicode/utf8"
)

// An instance's document is read back at each step of its life (its
// Pending → Running, the DeleteInstances that finds it, its removal), a
// new version each time, so no decoded value is at hand. DecodeDocument
// reads the form its writer (AppendDocument, encoding/json before it)
// makes: members in any order, each once, no space, strings without an
// escape, integers, the times as time.Time reads them. Anything else (an
// escape, a null, a member it does not know, the parts a launch does not
// write: an EIP, the tail, an init window) answers false, and the caller
// decodes it with goccy/go-json as before. TestDecodeDocumentIsUnmarshal
// holds it to goccy/go-json.

// DocumentDecoder is a stored type that can read its own document's
// usual form; false leaves the value zero and the caller decodes it.
type DocumentDecoder interface {
	DecodeDocument(data []byte) bool
}

// scan reads one document; s is the document as one string, which every
// string member is a part of (one allocation for all of them).
type scan struct {
	s  string
	i  int
	ok bool
}

func (p *scan) next(c byte) bool {
	if p.ok && p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	p.ok = false
	return false
}

// peek tells whether the next byte is c.
func (p *scan) peek(c byte) bool { return p.ok && p.i < len(p.s) && p.s[p.i] == c }

// str reads a string without escapes or control characters, of valid UTF-8.
func (p *scan) str() string {
	if !p.next('"') {
		return ""
	}
	n := strings.IndexByte(p.s[p.i:], '"')
	if n < 0 {
		p.ok = false
		return ""
	}
	v := p.s[p.i : p.i+n]
	p.i += n + 1
	// Eight bytes at a time: none below 0x20, none 0x80 or above, no '\\'.
	i := 0
	for ; i+8 <= len(v); i += 8 {
		x := uint64(v[i]) | uint64(v[i+1])<<8 | uint64(v[i+2])<<16 | uint64(v[i+3])<<24 |
			uint64(v[i+4])<<32 | uint64(v[i+5])<<40 | uint64(v[i+6])<<48 | uint64(v[i+7])<<56
		bs := x ^ (lsbs * '\\')
		if (x|(x-lsbs*0x20)|(bs-lsbs)&^bs)&msbs != 0 {
			break
		}
	}
	for ; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\\' || c < 0x20:
			p.ok = false
			return ""
		case c >= utf8.RuneSelf:
			if !utf8.ValidString(v[i:]) || strings.IndexByte(v[i:], '\\') >= 0 || hasControl(v[i:]) {
				p.ok = false
				return ""
			}
			return v
		}
	}
	return v
}

// hasControl tells whether s has a byte below 0x20.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			return true
		}
	}
	return false
}

const (
	lsbs = 0x0101010101010101
	msbs = 0x8080808080808080
)

// int reads an integer as a Go int takes it: no fraction, no exponent,
// no leading zero, no overflow.
func (p *scan) int() int {
	if !p.ok {
		return 0
	}
	neg := p.i < len(p.s) && p.s[p.i] == '-'
	if neg {
		p.i++
	}
	start := p.i
	var n uint64
	for ; p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9'; p.i++ {
		if n > (1<<63)/10 {
			p.ok = false
			return 0
		}
		n = n*10 + uint64(p.s[p.i]-'0')
	}
	digits := p.i - start
	switch {
	case digits == 0, digits > 1 && p.s[start] == '0', n > 1<<63, n == 1<<63 && !neg:
		p.ok = false
		return 0
	case p.i < len(p.s) && (p.s[p.i] == '.' || p.s[p.i] == 'e' || p.s[p.i] == 'E'):
		p.ok = false
		return 0
	}
	x := int64(n)
	if neg {
		x = int64(-n)
	}
	if int64(int(x)) != x {
		p.ok = false // past an int of this platform
		return 0
	}
	return int(x)
}

func (p *scan) bool() bool {
	switch {
	case !p.ok:
	case len(p.s)-p.i >= 4 && p.s[p.i:p.i+4] == "true":
		p.i += 4
		return true
	case len(p.s)-p.i >= 5 && p.s[p.i:p.i+5] == "false":
		p.i += 5
		return false
	}
	p.ok = false
	return false
}

// time reads a time as time.Time's UnmarshalJSON does.
func (p *scan) time() time.Time {
	start := p.i
	p.str()
	var t time.Time
	if p.ok && t.UnmarshalJSON([]byte(p.s[start:p.i])) != nil {
		p.ok = false
	}
	return t
}

// strs reads a list of strings; null is nil.
func (p *scan) strs() []string {
	if !p.ok {
		return nil
	}
	if len(p.s)-p.i >= 4 && p.s[p.i:p.i+4] == "null" {
		p.i += 4
		return nil
	}
	out := []string{}
	p.next('[')
	for p.ok && !p.peek(']') {
		if len(out) > 0 {
			p.next(',')
		}
		out = append(out, p.str())
	}
	p.next(']')
	return out
}

// key reads a member's name and its colon, the comma before it when it
// is not the first.
func (p *scan) key(first bool) string {
	if !first {
		p.next(',')
	}
	k := p.str()
	p.next(':')
	return k
}

// member reads the n-th member of an object read in the order of its
// keys: the comma before it, its name (which must be name), the colon.
// It answers false, with nothing read, for a member left out: the object's
// end comes first, and n is at least required.
func (p *scan) member(n, required int, name string) bool {
	if n >= required && p.peek('}') {
		return false
	}
	if n == 0 {
		p.next('{')
	} else {
		p.next(',')
	}
	if p.str() != name {
		p.ok = false
	}
	p.next(':')
	return p.ok
}

// item starts the n-th item of a list; false at the list's end (then read).
func (p *scan) item(n int) bool {
	if n == 0 {
		p.next('[')
	}
	if p.peek(']') {
		p.i++
		return false
	}
	if n > 0 {
		p.next(',')
	}
	return p.ok
}

// instance document keys, each a bit of seen.
const (
	iID = iota
	iRegion
	iZone
	iName
	iDescription
	iHostName
	iInstanceType
	iFamily
	iCPU
	iMemoryMiB
	iImageID
	iOSName
	iOSNameEn
	iOSType
	iStatus
	iChargeType
	iInternetChargeType
	iBandwidthOut
	iCreated
	iStarted
	iExpires
	iPeriod
	iPeriodUnit
	iAutoRenew
	iExpired
	iAutoRelease
	iProtected
	iLocks
	iSpotStrategy
	iStoppedMode
	iSecurityGroups
	iVpcID
	iVSwitchID
	iPrivateIP
	iPublicIP
	iKeyPairName
	iRAMRoleName
	iMetadata
	iDeploymentSetID
	iDedicatedHostID
	iResourceGroup
	iUserData
	iTags
	iSteps
	iReleasing
	iInitializingUntil
	iChargeTypeTo
	iChargeTypeAt
)

// instanceKey is the bit of an instance document's member name; -1 for
// a name it does not have.
func instanceKey(k string) int {
	switch k {
	case "id":
		return iID
	case "region":
		return iRegion
	case "zone":
		return iZone
	case "name":
		return iName
	case "description":
		return iDescription
	case "hostName":
		return iHostName
	case "instanceType":
		return iInstanceType
	case "family":
		return iFamily
	case "cpu":
		return iCPU
	case "memoryMiB":
		return iMemoryMiB
	case "imageId":
		return iImageID
	case "osName":
		return iOSName
	case "osNameEn":
		return iOSNameEn
	case "osType":
		return iOSType
	case "status":
		return iStatus
	case "chargeType":
		return iChargeType
	case "internetChargeType":
		return iInternetChargeType
	case "bandwidthOut":
		return iBandwidthOut
	case "created":
		return iCreated
	case "started":
		return iStarted
	case "expires":
		return iExpires
	case "period":
		return iPeriod
	case "periodUnit":
		return iPeriodUnit
	case "autoRenew":
		return iAutoRenew
	case "expired":
		return iExpired
	case "autoRelease":
		return iAutoRelease
	case "protected":
		return iProtected
	case "locks":
		return iLocks
	case "spotStrategy":
		return iSpotStrategy
	case "stoppedMode":
		return iStoppedMode
	case "securityGroups":
		return iSecurityGroups
	case "vpcId":
		return iVpcID
	case "vSwitchId":
		return iVSwitchID
	case "privateIp":
		return iPrivateIP
	case "publicIp":
		return iPublicIP
	case "keyPairName":
		return iKeyPairName
	case "ramRoleName":
		return iRAMRoleName
	case "metadata":
		return iMetadata
	case "deploymentSetId":
		return iDeploymentSetID
	case "dedicatedHostId":
		return iDedicatedHostID
	case "resourceGroup":
		return iResourceGroup
	case "userData":
		return iUserData
	case "tags":
		return iTags
	case "steps":
		return iSteps
	case "releasing":
		return iReleasing
	case "initializingUntil":
		return iInitializingUntil
	case "chargeTypeTo":
		return iChargeTypeTo
	case "chargeTypeAt":
		return iChargeTypeAt
	}
	return -1
}

// DecodeDocument implements DocumentDecoder.
func (v *Instance) DecodeDocument(data []byte) bool {
	p := scan{s: string(data), ok: true}
	var seen uint64
	p.next('{')
	for first := true; p.ok && !p.peek('}'); first = false {
		k := instanceKey(p.key(first))
		if k < 0 || seen&(1<<k) != 0 {
			*v = Instance{}
			return false
		}
		seen |= 1 << k
		switch k {
		case iID:
			v.ID = p.str()
		case iRegion:
			v.Region = p.str()
		case iZone:
			v.Zone = p.str()
		case iName:
			v.Name = p.str()
		case iDescription:
			v.Description = p.str()
		case iHostName:
			v.HostName = p.str()
		case iInstanceType:
			v.InstanceType = p.str()
		case iFamily:
			v.Family = p.str()
		case iCPU:
			v.CPU = p.int()
		case iMemoryMiB:
			v.MemoryMiB = p.int()
		case iImageID:
			v.ImageID = p.str()
		case iOSName:
			v.OSName = p.str()
		case iOSNameEn:
			v.OSNameEn = p.str()
		case iOSType:
			v.OSType = p.str()
		case iStatus:
			v.Status = p.str()
		case iChargeType:
			v.ChargeType = p.str()
		case iInternetChargeType:
			v.InternetChargeType = p.str()
		case iBandwidthOut:
			v.BandwidthOut = p.int()
		case iCreated:
			v.Created = p.time()
		case iStarted:
			v.Started = p.time()
		case iExpires:
			v.Expires = p.time()
		case iPeriod:
			v.Period = p.int()
		case iPeriodUnit:
			v.PeriodUnit = p.str()
		case iAutoRenew:
			v.AutoRenew = p.bool()
		case iExpired:
			v.Expired = p.bool()
		case iAutoRelease:
			v.AutoRelease = p.time()
		case iProtected:
			v.Protected = p.bool()
		case iLocks:
			v.Locks = []Lock{}
			for n := 0; p.item(n); n++ {
				var l Lock
				if p.member(0, 1, "reason") {
					l.Reason = p.str()
				}
				if p.member(1, 1, "msg") {
					l.Msg = p.str()
				}
				p.next('}')
				v.Locks = append(v.Locks, l)
			}
		case iSpotStrategy:
			v.SpotStrategy = p.str()
		case iStoppedMode:
			v.StoppedMode = p.str()
		case iSecurityGroups:
			v.SecurityGroups = p.strs()
		case iVpcID:
			v.VpcID = p.str()
		case iVSwitchID:
			v.VSwitchID = p.str()
		case iPrivateIP:
			v.PrivateIP = p.str()
		case iPublicIP:
			v.PublicIP = p.str()
		case iKeyPairName:
			v.KeyPairName = p.str()
		case iRAMRoleName:
			v.RAMRoleName = p.str()
		case iMetadata:
			m := &MetadataOptions{}
			if p.member(0, 3, "endpoint") {
				m.Endpoint = p.str()
			}
			if p.member(1, 3, "tokens") {
				m.Tokens = p.str()
			}
			if p.member(2, 3, "hopLimit") {
				m.HopLimit = p.int()
			}
			p.next('}')
			v.Metadata = m
		case iDeploymentSetID:
			v.DeploymentSetID = p.str()
		case iDedicatedHostID:
			v.DedicatedHostID = p.str()
		case iResourceGroup:
			v.ResourceGroup = p.str()
		case iUserData:
			v.UserData = p.str()
		case iTags:
			v.Tags = []Tag{}
			for n := 0; p.item(n); n++ {
				var t Tag
				if p.member(0, 2, "key") {
					t.Key = p.str()
				}
				if p.member(1, 2, "value") {
					t.Value = p.str()
				}
				p.next('}')
				v.Tags = append(v.Tags, t)
			}
		case iSteps:
			v.Steps = []Step{}
			for n := 0; p.item(n); n++ {
				var st Step
				if p.member(0, 2, "at") {
					st.At = p.time()
				}
				if p.member(1, 2, "status") {
					st.Status = p.str()
				}
				p.next('}')
				v.Steps = append(v.Steps, st)
			}
		case iReleasing:
			v.Releasing = p.bool()
		case iInitializingUntil:
			v.InitializingUntil = p.time()
		case iChargeTypeTo:
			v.ChargeTypeTo = p.str()
		case iChargeTypeAt:
			v.ChargeTypeAt = p.time()
		}
	}
	p.next('}')
	if !p.ok || p.i != len(p.s) {
		*v = Instance{}
		return false
	}
	return true
}
