package apierr

// Gateway and protocol errors: spec/protocol.md §5–6.
var (
	UnsupportedHTTPMethod   = Entry{"UnsupportedHTTPMethod", 400, "Specified HTTP method is not supported."}
	IncompleteSignature     = Entry{"IncompleteSignature", 400, "The request signature does not conform to Aliyun standards. server string to sign is:%s"}
	InvalidSignatureMethod  = Entry{"InvalidSignatureMethod", 400, "Specified signature method is not valid."}
	InvalidTimeStampFormat  = Entry{"InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted."}
	InvalidTimeStampExpired = Entry{"InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired."}
	InvalidAccessKeyID      = Entry{"InvalidAccessKeyId.NotFound", 404, "Specified access key is not found."}
	SignatureDoesNotMatch   = Entry{"SignatureDoesNotMatch", 400, "Specified signature is not matched with our calculation. server string to sign is:%s"}
	SignatureNonceUsed      = Entry{"SignatureNonceUsed", 400, "Specified signature nonce was used already."}
	InvalidAction           = Entry{"InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method."}
	InvalidVersion          = Entry{"InvalidVersion", 400, "Specified parameter Version is not valid."}
	InvalidFormat           = Entry{"InvalidParameter.Format", 400, "Specified parameter format is not valid."}
	RequestTooLarge         = Entry{"InvalidParameter.TooLarge", 400, "The request is too large: %s."}
	Throttling              = Entry{"Throttling", 400, "Request was denied due to request throttling."}
	ThrottlingUser          = Entry{"Throttling.User", 400, "Request was denied due to user flow control."}
	InternalError           = Entry{"InternalError", 500, "The request processing has failed due to some unknown error, exception or failure."}
	ServiceUnavailable      = Entry{"ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server."}
	DryRunOperation         = Entry{"DryRunOperation", 400, "Request validation has been passed with DryRun flag set."}
	DryRunSuccess           = Entry{"DRYRUN.SUCCESS", 400, "This request is a dryrun request with successful result."}
	IdempotentMismatch      = Entry{"IdempotentParameterMismatch", 400, "Request uses a client token in a previous request but is not identical to that request."}
)

// Parameter errors, raised by the binder and by actions.
var (
	MissingParameter = Entry{"MissingParameter", 400, "The input parameter \"%s\" that is mandatory for processing this request is not supplied."}
	InvalidParameter = Entry{"InvalidParameter", 400, "The specified parameter \"%s\" is not valid."}
	// InvalidParameterMsg carries a free message for refusals that explain themselves.
	InvalidParameterMsg = Entry{"InvalidParameter", 400, "%s"}
	InvalidRegionID     = Entry{"InvalidRegionId.NotFound", 404, "The specified RegionId does not exist."}
	InvalidZoneID       = Entry{"InvalidZoneId.NotFound", 404, "The specified zone does not exist."}
	InvalidClientToken  = Entry{"InvalidClientToken.Malformed", 400, "The specified parameter \"ClientToken\" is not valid."}
	InvalidPageSize     = Entry{"InvalidParameter.PageSize", 400, "The specified parameter \"PageSize\" is not valid."}
	InvalidNextToken    = Entry{"InvalidNextToken.Malformed", 400, "The specified parameter \"NextToken\" is not valid."}
	InvalidTagKey       = Entry{"InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid."}
)

// Instance errors: spec/semantics.md §3.2 and §5.4.
var (
	InvalidInstanceIDNotFound      = Entry{"InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist."}
	InvalidInstanceIDsNotFound     = Entry{"InvalidInstanceIds.NotFound", 404, "The specified InstanceIds does not exist."}
	InvalidInstanceIDMalformed     = Entry{"InvalidParameter", 400, "The input parameter InstanceId is invalid."}
	TooManyInstanceIDs             = Entry{"InvalidParameter.TooManyInstanceIds", 403, "Instance ids cannot be more than 100."}
	CrossRegionNotSupport          = Entry{"InvalidParameter.CrossRegionNotSupport", 400, "Instances of multiple regions not support."}
	InvalidInstanceIDsValue        = Entry{"InvalidInstanceIds.ValueNotSupported", 403, "The specified instanceIds is not valid."}
	DeletionProtection             = Entry{"InvalidOperation.DeletionProtection", 403, "The operation is not allowed due to deletion protection."}
	ChargeTypeViolation            = Entry{"ChargeTypeViolation", 403, "The operation is not permitted due to charge type of the instance."}
	IncorrectInstanceStatusInit    = Entry{"IncorrectInstanceStatus.Initializing", 403, "The specified instance status does not support this operation."}
	IncorrectInstanceStatus        = Entry{"IncorrectInstanceStatus", 403, "The current status of the resource does not support this operation."}
	EniLinked                      = Entry{"InvalidOperation.EniLinked", 403, "The operation is not allowed because the network interface is linked to other network interfaces."}
	DependencyRouteEntry           = Entry{"DependencyViolation.RouteEntry", 400, "Specified instance is used by route entry."}
	DependencySLBConfiguring       = Entry{"DependencyViolation.SLBConfiguring", 400, "Specified operation is denied as your instance is using by another product."}
	InstanceLockedForSecurity      = Entry{"InstanceLockedForSecurity", 403, "The specified operation is denied as your instance is locked for security reasons."}
	InstanceExpiredOrInArrears     = Entry{"InstanceExpiredOrInArrears", 403, "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode)."}
	InvalidImageIDNotFound         = Entry{"InvalidImageId.NotFound", 404, "The specified ImageId does not exist."}
	InvalidInstanceTypeNotFound    = Entry{"InvalidInstanceType.ValueNotSupported", 400, "The specified InstanceType does not exist or beyond the permitted range."}
	InvalidInstanceTypeZone        = Entry{"InvalidResourceType.NotSupported", 403, "The specified InstanceType is not supported in the zone %s."}
	ZoneMismatch                   = Entry{"InvalidVSwitchId.NotBelongToZone", 400, "The specified VSwitchId does not belong to the ZoneId."}
	InvalidUserData                = Entry{"InvalidUserData.SizeExceeded", 400, "The specified parameter UserData exceeds the size limit of 32 KB."}
	InvalidUserDataBase64          = Entry{"InvalidUserData.Base64FormatInvalid", 400, "The specified UserData is not valid Base64."}
	InvalidSnapshotIDNotFound      = Entry{"InvalidSnapshotId.NotFound", 404, "The specified SnapshotId does not exist."}
	InvalidInstanceIDsTooMany      = Entry{"InvalidParameter.InstanceIds", 400, "The specified parameter InstanceIds may contain at most 100 ids."}
	InvalidPassword                = Entry{"InvalidPassword.Malformed", 400, "The specified parameter Password is not valid."}
	InvalidHostName                = Entry{"InvalidHostName.Malformed", 400, "The specified parameter HostName is not valid."}
	InvalidInstanceName            = Entry{"InvalidInstanceName.Malformed", 400, "The specified parameter InstanceName is not valid."}
	SecurityGroupLimit             = Entry{"InvalidSecurityGroupId.MultiVpc", 400, "The specified security groups are in different VPCs."}
	AutoReleasePrePaid             = Entry{"InvalidInstanceChargeType.NotPostPaid", 403, "Automatic release can only be set on pay-as-you-go instances."}
	InvalidVSwitchIDNotFound       = Entry{"InvalidVSwitchId.NotFound", 404, "The specified VSwitchId does not exist."}
	InvalidSecurityGroupIDNotFound = Entry{"InvalidSecurityGroupId.NotFound", 404, "The specified SecurityGroupId does not exist."}
	SecurityGroupVpcMismatch       = Entry{"InvalidSecurityGroupId.VPCMismatch", 400, "The specified security group and VSwitch are not in the same VPC."}
	IncorrectVSwitchStatus         = Entry{"IncorrectVSwitchStatus", 400, "The current status of vswitch does not support this operation."}
	InvalidPeriod                  = Entry{"InvalidPeriod", 400, "The specified period is not valid."}
	InvalidPeriodUnit              = Entry{"InvalidPeriodUnit.ValueNotSupported", 400, "The specified parameter PeriodUnit is not valid."}
	InvalidInstanceChargeType      = Entry{"InvalidInstanceChargeType.ValueNotSupported", 400, "The specified InstanceChargeType is not valid."}
	InvalidAutoReleaseTime         = Entry{"InvalidAutoReleaseTime.Malformed", 400, "The specified parameter AutoReleaseTime is not valid."}
	InvalidAmount                  = Entry{"InvalidParameter.Amount", 400, "The specified parameter \"Amount\" is not valid."}
	InvalidSystemDiskCategory      = Entry{"InvalidSystemDiskCategory.ValueNotSupported", 400, "The specified parameter SystemDisk.Category is not valid."}
	InvalidSystemDiskSize          = Entry{"InvalidSystemDiskSize.LessThanImageSize", 400, "The specified parameter SystemDisk.Size is less than the image size."}
	InvalidSystemDiskSizeRange     = Entry{"InvalidSystemDiskSize.ValueNotSupported", 400, "The specified parameter SystemDisk.Size is invalid."}
	InvalidDataDiskCategory        = Entry{"InvalidDataDiskCategory.ValueNotSupported", 400, "The specified parameter DataDisk.n.Category is not valid."}
	InvalidDataDiskSize            = Entry{"InvalidDataDiskSize.ValueNotSupported", 400, "The specified parameter DataDisk.n.Size is not valid."}
	TooManyDataDisks               = Entry{"InvalidDataDiskCount.Exceeded", 400, "The number of data disks exceeds the limit of 16."}
	ChargeTypeInvalidTarget        = Entry{"InvalidInstanceChargeType.ValueNotSupported", 400, "The specified InstanceChargeType is the same as the current one."}
	InvalidInstanceStatusForExpiry = Entry{"InvalidParameter.ExpiredInstance", 403, "The specified instance is expired."}
	InvalidRenewPostPaid           = Entry{"InvalidInstanceChargeType.NotPrePaid", 403, "The specified instance is not a subscription instance."}
)

// VPC and security group errors: spec/semantics.md §5.2–5.3. Codes and
// messages follow the error tables of the VPC (CreateVSwitch, DeleteVpc,
// DeleteVSwitch) and ECS (AuthorizeSecurityGroup, RevokeSecurityGroup,
// ModifySecurityGroupRule) API references; misspellings are the real ones.
var (
	InvalidVpcIDNotFound = Entry{"InvalidVpcId.NotFound", 404, "Specified VPC does not exist."}
	IncorrectVpcStatus   = Entry{"IncorrectVpcStatus", 400, "Current VPC status does not support this operation."}
	InvalidCidrBlock     = Entry{"InvalidCidrBlock.Malformed", 400, "Specified CIDR block is not valid."}
	// InvalidVSwitchCidr is a vSwitch block outside its VPC's block: the VPC
	// reference answers plain InvalidParameter for it.
	InvalidVSwitchCidr = Entry{"InvalidParameter", 400, "Specified CIDR block is not valid in VPC."}
	// VSwitchCidrMask is a vSwitch mask outside /16../29 ("Cirdr" is real).
	VSwitchCidrMask    = Entry{"InvalidCirdrBlock.MaskLength", 400, "Specified CIDR block is not valid ."}
	VSwitchCidrOverlap = Entry{"InvalidCidrBlock.Overlapped", 400, "Specified CIDR block overlapped with other subnets."}
	// DeleteVpc refusals name the kind of dependent resource in the code.
	VpcDependencyVSwitch       = Entry{"DependencyViolation.VSwitch", 400, "Specified object has dependent resources"}
	VpcDependencySecurityGroup = Entry{"DependencyViolation.SecurityGroup", 400, "Specified object has dependent resources SecurityGroup."}
	// VpcDependencyRouteTable: custom route tables left in the VPC. The
	// DeleteVpc table lists no code for them; DependencyViolation.RouteTable is
	// the code DeleteVSwitch uses and the Terraform provider retries [choice].
	VpcDependencyRouteTable  = Entry{"DependencyViolation.RouteTable", 400, "Specified object has dependent resources"}
	VSwitchDependency        = Entry{"DependencyViolation", 400, "Specified object has dependent resources."}
	VSwitchNotFound          = Entry{"InvalidVSwitchId.NotFound", 404, "VSwitch not exist."}
	VSwitchIncorrectStatus   = Entry{"IncorrectVSwitchStatus", 400, "The current virtual switch status does not support this operation."}
	SecurityGroupDependency  = Entry{"DependencyViolation", 403, "There is still instance(s) in the specified security group."}
	SecurityGroupVpcRequired = Entry{"InvalidVpcId.NotFound", 404, "Specified VPC does not exist."}
	InvalidVSwitchZone       = Entry{"InvalidZoneId.NotFound", 404, "Specified zone does not exist."}

	// Security group rules (AuthorizeSecurityGroup[Egress], RevokeSecurityGroup[Egress]).
	InvalidIPProtocol     = Entry{"InvalidIpProtocol.ValueNotSupported", 400, "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All."}
	InvalidPortRange      = Entry{"InvalidIpPortRange.Malformed", 400, "The specified parameter PortRange is not valid."}
	MissingPortRange      = Entry{"InvalidPortRange.Malformed", 400, "The specified parameter PortRange must set."}
	InvalidSourceCidrIP   = Entry{"InvalidSourceCidrIp.Malformed", 400, "The specified parameter SourceCidrIp is not valid."}
	InvalidDestCidrIP     = Entry{"InvalidDestCidrIp.Malformed", 400, "The specified parameter DestCidrIp is not valid."}
	MissingRuleSource     = Entry{"MissingParameter", 400, "The input parameter SourceGroupId or SourceCidrIp cannot be both blank."}
	MissingRuleDest       = Entry{"MissingParameter", 400, "The input parameter DestGroupId or DestCidrIp cannot be both blank."}
	InvalidPolicy         = Entry{"InvalidPolicy.Malformed", 400, "The specified parameter Policy is not valid."}
	InvalidNicType        = Entry{"InvalidNicType.ValueNotSupported", 400, "The specified NicType does not exist."}
	InvalidPriority       = Entry{"InvalidPriority.Malformed", 400, "The parameter Priority is invalid."}
	PermissionsConflict   = Entry{"InvalidParam.Permissions", 400, "The specified parameter Permissions cannot coexist with other parameters."}
	RuleLimitExceeded     = Entry{"AuthorizationLimitExceed", 403, "The limit of authorization records in the security group reaches."}
	SourceGroupNotFound   = Entry{"InvalidSourceGroupId.NotFound", 404, "The SourceGroupId provided does not exist in our records."}
	SourceGroupMismatch   = Entry{"InvalidSourceGroupId.Mismatch", 400, "Specified security group and source group are not in the same VPC."}
	EnterpriseGroupAuth   = Entry{"InvalidGroupAuthParameter.OperationDenied", 400, "The security group can not authorize to enterprise level security group."}
	EnterpriseGroupPolicy = Entry{"InvalidGroupParameter.OperationDenied", 400, "The attributes Policy, SourceGroupId, DestGroupId of enterprise level security groups are not allowed to be set or modified."}
	// RuleNotExist: since July 2024 a revoke that matches no rule is refused
	// instead of succeeding silently.
	RuleNotExist        = Entry{"InvalidSecurityGroupRule.RuleNotExist", 400, "The specified rule does not exist."}
	RuleIDNotFound      = Entry{"InvalidSecurityGroupRuleId.NotFound", 404, "The specified SecurityGroupRuleId is not exists."}
	RuleIDRepeated      = Entry{"InvalidParam.SecurityGroupRuleIdRepeated", 400, "The specified parameter SecurityGroupRuleId is repeated."}
	DuplicatePermission = Entry{"InvalidParam.DuplicatePermissions", 400, "There are duplicate permissions in the specified parameter Permissions."}
)

// MissingCommon is the gateway's refusal of a request that lacks a common
// parameter such as AccessKeyId or Timestamp: the code carries the name.
func MissingCommon(name string) *Error {
	return &Error{Code: "Missing" + name, Status: 400, Message: name + " is mandatory for this action."}
}

// Disk and snapshot errors: spec/semantics.md §5.5–5.6. Codes, statuses and
// messages follow the error tables of the AttachDisk, DetachDisk,
// DeleteDisk, ResizeDisk, CreateDisk, CreateSnapshot, DeleteSnapshot and
// ApplyAutoSnapshotPolicy references; [choice] marks those the references
// leave open.
var (
	InvalidDiskIDNotFound     = Entry{"InvalidDiskId.NotFound", 404, "The specified disk does not exist."}
	IncorrectDiskStatus       = Entry{"IncorrectDiskStatus", 403, "The current disk status does not support this operation."}
	ResourcesNotInSameZone    = Entry{"ResourcesNotInSameZone", 403, "The specified instance and disk are not in the same zone."}
	DiskNotPortable           = Entry{"DiskNotPortable", 403, "The specified disk is not a portable disk."}
	DiskTypeViolation         = Entry{"DiskTypeViolation", 403, "The specified disk is a system disk and cannot support the operation."}
	DiskCreatingSnapshot      = Entry{"DiskCreatingSnapshot", 403, "The operation is denied due to a snapshot of the specified disk is not completed yet."}
	DiskNotAttached           = Entry{"DependencyViolation", 403, "The specified disk has not been attached on the specified instance."}
	InvalidDeviceInUse        = Entry{"InvalidDevice.InUse", 403, "The specified device has been occupied."}
	InvalidDeviceMalformed    = Entry{"InvalidDevice.Malformed", 400, "The specified device is not valid."}
	InstanceDiskLimitExceeded = Entry{"InstanceDiskLimitExceeded", 403, "The amount of the disk on instance in question reach its limits."}
	InvalidDiskSizeTooSmall   = Entry{"InvalidDiskSize.TooSmall", 403, "Specified new disk size is less than the original disk size."}
	InvalidDiskSizeTooLarge   = Entry{"InvalidDiskSize.TooLarge", 403, "Specified new disk size is beyond the permitted range."}
	// InvalidDiskCategory: CreateDisk with a category the zone does not offer [choice of wording].
	InvalidDiskCategory = Entry{"InvalidDiskCategory.ValueNotSupported", 400, "The specified parameter DiskCategory is not valid."}
	// InvalidDiskSize: CreateDisk's Size outside the category's range or
	// below its snapshot's size [choice of code].
	InvalidDiskSize = Entry{"InvalidDiskSize.ValueNotSupported", 400, "The specified parameter Size is not valid."}
	// DiskChargeTypeNotSupported: detaching a subscription data disk, which
	// DetachDisk's reference excludes without naming a code [choice].
	DiskChargeTypeNotSupported = Entry{"InvalidDiskChargeType.NotSupported", 403, "The specified operation is not supported for subscription disks."}
	SnapshotNotReady           = Entry{"InvalidSnapshotId.NotReady", 403, "The specified snapshot has not completed yet."}
	CreatingSnapshot           = Entry{"IncorrectDiskStatus.CreatingSnapshot", 403, "A previous snapshot creation is in process."}
	InvalidSnapshotName        = Entry{"InvalidSnapshotName.Malformed", 400, "The specified SnapshotName is wrongly formed."}
	SnapshotCreatedDisk        = Entry{"SnapshotCreatedDisk", 403, "The snapshot has been used to create disk(s)."}
	// Automatic snapshot policies answer their own family: ParameterInvalid
	// at 404 for an unknown policy (Terraform treats it as already deleted),
	// at 403 for bad lists.
	PolicyNotFound       = Entry{"ParameterInvalid", 404, "The specified automatic snapshot policy does not exist."}
	PolicyDiskNotFound   = Entry{"InvalidDiskId.NotFound", 404, "The specified disk does not exist in the region."}
	PolicyDiskIDsInvalid = Entry{"ParameterInvalid", 403, "The specified DiskIds are invalid."}
	PolicyParamInvalid   = Entry{"ParameterInvalid", 403, "The specified %s parameter is invalid."}
)

// ENI and tag errors: spec/semantics.md §5.7 and §5.9. Codes and statuses
// follow the error tables of the CreateNetworkInterface,
// AttachNetworkInterface, DetachNetworkInterface, DeleteNetworkInterface,
// TagResources, UntagResources and ListTagResources references; where those
// print only "%s" the message is ours.
var (
	InvalidEniIDNotFound        = Entry{"InvalidEniId.NotFound", 404, "The specified NetworkInterfaceId does not exist."}
	InvalidEcsIDNotFound        = Entry{"InvalidEcsId.NotFound", 404, "The specified InstanceId does not exist."}
	InvalidEniState             = Entry{"InvalidOperation.InvalidEniState", 400, "The operation is not allowed in the current ENI state."}
	InvalidEcsState             = Entry{"InvalidOperation.InvalidEcsState", 400, "The operation is not allowed in the current ECS instance state."}
	DetachPrimaryEniNotAllowed  = Entry{"InvalidOperation.DetachPrimaryEniNotAllowed", 400, "The primary ENI of an instance cannot be detached."}
	EniPerInstanceLimitExceeded = Entry{"EniPerInstanceLimitExceeded", 403, "The number of ENIs attached to the instance exceeds the limit of its instance type."}
	EniZoneMismatch             = Entry{"InvalidOperation.AvailabilityZoneMismatch", 403, "The ENI and the instance are not in the same zone."}
	EniVpcMismatch              = Entry{"InvalidOperation.VpcMismatch", 403, "The specified resources are not in the same VPC."}
	// InvalidEniType: an operation the ENI's type does not allow, such as a
	// trunk ENI on a type without trunking or a non-trunk named as
	// TrunkNetworkInstanceId [choice: the references document no trunk codes].
	InvalidEniType      = Entry{"InvalidOperation.InvalidEniType", 403, "The operation is not supported by the type of the ENI."}
	VSwitchIPNotEnough  = Entry{"InvalidVSwitchId.IpNotEnough", 403, "The specified VSwitch has not enough IP addresses."}
	VSwitchIPInvalid    = Entry{"InvalidVSwitchId.IpInvalid", 403, "The specified IP address is not valid in the VSwitch CIDR block."}
	PrivateIPDuplicated = Entry{"InvalidPrivateIpAddress.Duplicated", 400, "Specified private IP address is duplicated."}

	DuplicateTagKey             = Entry{"Duplicate.TagKey", 400, "The Tag.N.Key contain duplicate key."}
	InvalidTagValue             = Entry{"InvalidTagValue.Malformed", 400, "The specified Tag.n.Value is not valid."}
	TagQuotaExceed              = Entry{"OperationDenied.QuotaExceed", 400, "The quota of tags on resource is beyond permitted range."}
	TooManyTagResourceIDs       = Entry{"NumberExceed.ResourceIds", 400, "The ResourceIds parameter's number is exceed , Valid : 50"}
	TooManyTags                 = Entry{"NumberExceed.Tags", 400, "The Tags parameter's number is exceed , Valid : 20"}
	InvalidResourceIDNotFound   = Entry{"InvalidResourceId.NotFound", 404, "The specified ResourceIds are not found in our records."}
	InvalidResourceTypeNotFound = Entry{"InvalidResourceType.NotFound", 404, "The ResourceType provided does not exist in our records."}
	InvalidTagNextToken         = Entry{"Invalid.NextToken", 403, "The specified NextToken is not valid."}
)

// Route entry, EIP and SLB errors: spec/semantics.md §5.2 and §5.8. Codes,
// statuses and messages follow the error tables of the VPC CreateRouteEntry,
// DeleteRouteEntry, DeleteVpc, AssociateEipAddress and ReleaseEipAddress
// references and SLB's common error codes; [choice] marks those they leave
// open.
var (
	InvalidRouteTableIDNotFound = Entry{"InvalidRouteTableId.NotFound", 404, "Specified route table does not exist."}
	InvalidNextHopNotFound      = Entry{"InvalidNextHop.NotFound", 400, "Specified next hop does not exist."}
	InvalidNextHopType          = Entry{"InvalidNextHopType", 400, "Specified parameter \"NextHopType\" is not valid."}
	// NextHopVpcMismatch: the next-hop instance is in another VPC.
	NextHopVpcMismatch = Entry{"OperationFailed.InstanceDismatchCurrentVpc", 404, "The specified instance does not exist in current vpc."}
	// NextHopENIVpcMismatch: the next-hop ENI is in another VPC.
	NextHopENIVpcMismatch = Entry{"Mismatch.EniIdAndRouteTableId", 400, "The operation is not allowed because eni and route table not in same vpc."}
	// RouteCidrInvalid: a destination inside a vSwitch block or the cloud
	// service block 100.64.0.0/10.
	RouteCidrInvalid   = Entry{"InvalidCidrBlock", 400, "Specified CIDR block is not valid."}
	RouteCidrDuplicate = Entry{"InvalidCIDRBlock.Duplicate", 400, "Specified CIDR block is already exists."}
	// RouteEntryConflict: the same destination with the same next hop; the
	// Terraform provider reads this code as "already exists, import it".
	// The wording is the one seen in real answers [choice].
	RouteEntryConflict        = Entry{"RouterEntryConflict.Duplicated", 400, "A route entry already exists, which CIDR is '%s'."}
	IncorrectRouteEntryStatus = Entry{"IncorrectRouteEntryStatus", 400, "Some route entry status blocked this operation."}
	RouteEntryQuotaExceeded   = Entry{"QuotaExceeded", 400, "Route entry quota exceeded in this route table."}
	InvalidRouteEntryNotFound = Entry{"InvalidRouteEntry.NotFound", 400, "Route entry not exists."}
	RouteEntrySystem          = Entry{"OperationDenied", 400, "Specified operation is denied as route entry type is system."}
	// VpcDependencyRouteEntry: DeleteVpc while custom route entries remain.
	VpcDependencyRouteEntry = Entry{"DependencyViolation.RouteEntry", 400, "Specified object has dependent resources"}

	InvalidAllocationIDNotFound = Entry{"InvalidAllocationId.NotFound", 404, "Specified allocation ID is not found."}
	// EIPInstanceNotFound: the misspelt code is the real one.
	EIPInstanceNotFound        = Entry{"InvalidInstanId.NotFound", 404, "Specified instance does not exist."}
	IncorrectEipStatus         = Entry{"IncorrectEipStatus", 400, "Current elastic IP status does not support this operation"}
	EIPIncorrectInstanceStatus = Entry{"IncorrectInstanceStatus", 400, "Current instance status does not support this operation."}
	EIPAssociationDuplicated   = Entry{"InvalidAssociation.Duplicated", 400, "Specified instance already is associated."}
	EIPInstanceNotInVpc        = Entry{"OperationDenied", 400, "Specified instance is not in VPC."}
	EIPRegionMismatch          = Entry{"InvalidParameter.Mismatch", 400, "Specified elastic IP address and ECS instance are not in the same region."}
	EIPInstanceHasPublicIP     = Entry{"EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP", 400, "instance already bind natpublicip,cannot bind eip."}
	// EIPInstanceTypeNotSupported: targets other than ECS instances and ENIs
	// (SLB, NAT gateways, HaVips) are not modelled.
	EIPInstanceTypeNotSupported = Entry{"InvalidInstanceType.ValueNotSupported", 400, "The specified value of InstanceType is not supported."}
	// EIPNotAssociatedWith: UnassociateEipAddress naming another instance
	// than the one the EIP is bound to [choice].
	EIPNotAssociatedWith = Entry{"InvalidParameter", 400, "The specified elastic IP address is not associated with the specified instance."}

	InvalidLoadBalancerIDNotFound = Entry{"InvalidLoadBalancerId.NotFound", 404, "The specified LoadBalancerId does not exist."}
	BackendServerConfiguring      = Entry{"BackendServer.configuring", 409, "A previous configuration of the load balancer is pending; please try again later."}
	TooManyBackendServers         = Entry{"TooManyBackendServers", 400, "The total number of input real servers exceeds max supported number: 20"}
	InvalidBackendServers         = Entry{"InvalidParameter", 400, "The specified BackendServers is invalid."}
	InvalidBackendWeight          = Entry{"InvalidWeight.Malformed", 400, "A specified weight is not valid."}
	InvalidServerIDNotFound       = Entry{"InvalidServerId.NotFound", 404, "The specified ServerId does not exist."}
	// BackendNotRunning: only Running instances may be added; the code is
	// undocumented [choice: InvalidParameter, spec/semantics.md S34].
	BackendNotRunning      = Entry{"InvalidParameter", 400, "The specified BackendServers is invalid; some of the specified backend servers do not exist or are not running."}
	BackendNetworkMismatch = Entry{"InvalidParameter", 400, "The specified load balancer does not support the network type of the ECS instance."}
	InvalidSLBVSwitch      = Entry{"InvalidParameter", 400, "The specified VSwitchId is invalid."}

	// SLB listeners: codes of the Create…Listener and StartLoadBalancerListener
	// references; an unknown listener answers InvalidParameter with the
	// message the Terraform provider matches.
	ListenerAlreadyExists = Entry{"ListenerAlreadyExists", 400, "The specified listener port is already in use."}
	ListenerNotFound      = Entry{"InvalidParameter", 400, "The specified resource does not exist."}
	TooManyListeners      = Entry{"TooManyListeners", 400, "More than 1 listener is found, please be more specified."}
	ListenerNotAllowed    = Entry{"Operation.NotAllowed", 400, "The specified listener is not allowed to operate."}
	// Listener states (docs/slb.md): a transitional listener refuses Start
	// (Operation.Deny), Set (ListenerStatusNotSupport) and Delete
	// (ServiceIsConfiguring / ServiceIsStopping).
	ListenerConfiguringDeny  = Entry{"Operation.Deny", 400, "The specified listener is configuring, please try again later."}
	ListenerStatusNotSupport = Entry{"OperationFailed.ListenerStatusNotSupport", 400, "The status of the listener does not support this operation. Please try again later."}
	ServiceIsConfiguring     = Entry{"ServiceIsConfiguring", 400, "A previous configuration is pending; please try again later."}
	ServiceIsStopping        = Entry{"ServiceIsStopping", 409, "The specified Listener is stopping, please retry later."}
	// VServerGroupProcessing: a member change while the group's previous
	// one is pending (SLB's common error table; the code the Terraform
	// provider retries on group members).
	VServerGroupProcessing = Entry{"VServerGroupProcessing", 400, "A previous configuration of the VServer group is pending; please try again later."}
	// VServerGroupNotFound: the code is undocumented [choice: InvalidParameter,
	// with the message the Terraform provider matches].
	VServerGroupNotFound = Entry{"InvalidParameter", 400, "The specified VServerGroupId does not exist."}
	// VServerGroupInUse: DeleteVServerGroup while a listener forwards to it.
	VServerGroupInUse = Entry{"RspoolVipExist", 400, "There are vips associating with this vServer group."}

	// Server certificates and ACLs. The not-found and name codes are the
	// ones the Terraform provider matches; the in-use and malformed codes
	// are undocumented [choice].
	ServerCertificateNotFound = Entry{"ServerCertificateId.NotFound", 400, "The specified ServerCertificateId does not exist."}
	InvalidServerCertificate  = Entry{"InvalidParameter", 400, "The specified ServerCertificate is not a valid PEM certificate."}
	InvalidPrivateKey         = Entry{"InvalidParameter", 400, "The specified PrivateKey is not a valid PEM private key."}
	CertificateKeyMismatch    = Entry{"InvalidParameter", 400, "The specified PrivateKey does not match the ServerCertificate."}
	ServerCertificateInUse    = Entry{"ServerCertificateInUse", 400, "The specified server certificate is in use by a listener."}
	ACLNotFound               = Entry{"AclNotExist", 400, "The specified acl does not exist."}
	ACLNameExists             = Entry{"AclNameExist", 400, "The specified acl name already exists."}
	ACLInUse                  = Entry{"AclInUse", 400, "The specified acl is in use by a listener."}
	ACLEntryExists            = Entry{"AclEntryExist", 400, "The specified acl entry already exists."}
	ACLEntryQuota             = Entry{"AclEntryNumberOverLimit", 400, "The number of acl entries exceeds the limit."}
	ACLEntryEmpty             = Entry{"AclEntryEmpty", 400, "The specified AclEntrys is empty."}
	// SLBDeleteProtection: the DeleteLoadBalancer reference's own example.
	SLBDeleteProtection = Entry{"OperationDenied.DeleteProtectionIsOn", 400, "The loadbalancer can't be deleted due to DeleteProtection is enabled."}
)

// RAM errors (2015-05-01), as the Terraform alicloud provider expects them.
var (
	RAMRoleNotFound          = Entry{"EntityNotExist.Role", 404, "The role does not exist: %s."}
	RAMRoleExists            = Entry{"EntityAlreadyExists.Role", 409, "The role already exists: %s."}
	RAMPolicyNotFound        = Entry{"EntityNotExist.Policy", 404, "The policy does not exist: %s."}
	RAMPolicyExists          = Entry{"EntityAlreadyExists.Policy", 409, "The policy already exists: %s."}
	RAMPolicyVersionNotFound = Entry{"EntityNotExist.Policy.Version", 404, "The policy version does not exist: %s."}
	RAMRolePolicyNotFound    = Entry{"EntityNotExist.Role.Policy", 404, "The policy is not attached to the role: %s."}
	RAMRolePolicyExists      = Entry{"EntityAlreadyExists.Role.Policy", 409, "The policy is already attached to the role: %s."}
	// RAMRoleHasPolicies: DeleteRole while policies are attached.
	RAMRoleHasPolicies = Entry{"DeleteConflict.Role.Policy", 409, "The role still has policies attached: %s."}
	// RAMPolicyAttached: DeletePolicy while a role has it [choice: the
	// provider's ram_policy delete retries on this code].
	RAMPolicyAttached = Entry{"DeleteConflict.Role.Policy", 409, "The policy is still attached to a role: %s."}
	// RAMPolicyHasVersions: DeletePolicy while versions besides the default remain.
	RAMPolicyHasVersions    = Entry{"DeleteConflict.Policy.Version", 409, "The policy still has versions besides the default: %s."}
	RAMDefaultVersion       = Entry{"DeleteConflict.Policy.Version.Default", 409, "The default version of a policy cannot be deleted: %s."}
	RAMTooManyVersions      = Entry{"LimitExceeded.Policy.Version", 409, "A policy has at most 5 versions: %s."}
	MalformedPolicyDocument = Entry{"MalformedPolicyDocument", 400, "The policy document is malformed: %s."}
	RAMSystemPolicyDenied   = Entry{"NoPermission", 403, "System policies cannot be changed: %s."}
	// InvalidRAMRoleNotFound: ECS AttachInstanceRamRole/RunInstances naming an unknown role.
	InvalidRAMRoleNotFound = Entry{"InvalidRamRole.NotFound", 404, "The specified RAM role does not exist."}
	// InvalidRAMRoleNotTrusted: the role's trust policy does not let ECS assume it.
	InvalidRAMRoleNotTrusted   = Entry{"InvalidRamRole.NotEcsRole", 400, "The specified RAM role is not authorized for ECS: its trust policy does not allow ecs.aliyuncs.com."}
	InstanceRAMRoleAttached    = Entry{"InvalidParameter.RamRoleName", 400, "The instance already has a RAM role attached; detach it first."}
	InstanceRAMRoleNotAttached = Entry{"InvalidRamRole.NotEqual", 400, "The specified RAM role is not attached to the instance."}
)

// NotImplemented is ecslocal's own answer (a choice: the cloud has no such
// case) for an action of the official API definition that ecslocal has not
// built; InvalidAction.NotFound would tell the caller the cloud lacks it.
var NotImplemented = Entry{"NotImplemented", 501, "%s %s action %s is part of the official API but ecslocal does not implement it yet; see docs/coverage.md."}

// NAT gateway, SNAT and DNAT errors. Codes and statuses follow the error
// tables of the DeleteNatGateway, UnassociateEipAddress and
// CreateForwardEntry references; [choice] marks those they leave open.
var (
	InvalidNatGatewayIDNotFound = Entry{"InvalidNatGatewayId.NotFound", 404, "The specified NatGatewayId does not exist in our records."}
	// IncorrectNatStatus: an operation on a gateway still Creating [choice].
	IncorrectNatStatus   = Entry{"IncorrectStatus.NatGateway", 400, "The status of the NAT gateway is incorrect."}
	NatDependencySnat    = Entry{"DependencyViolation.SnatEntry", 400, "The specified resource of NatGateway depends on SnatEntry, so the operation cannot be completed."}
	NatDependencyForward = Entry{"DependencyViolation.ForwardEntry", 400, "The specified resource of NatGateway depends on ForwardEntry, so the operation cannot be completed."}
	NatDependencyEIPs    = Entry{"DependencyViolation.EIPS", 400, "There are Eips on specified NatGateway, please unbind it first."}
	// NatVSwitchMismatch: the vSwitch of CreateNatGateway or of an SNAT
	// entry is in another VPC [choice].
	NatVSwitchMismatch        = Entry{"InvalidVSwitchId.NotBelongToVpc", 400, "The specified vSwitch does not belong to the VPC of the NAT gateway."}
	InvalidSnatTableNotFound  = Entry{"InvalidSnatTableId.NotFound", 404, "The specified SnatTableId does not exist."}
	InvalidSnatEntryNotFound  = Entry{"InvalidSnatEntryId.NotFound", 404, "The specified SnatEntryId does not exist."}
	InvalidForwardTableNotFnd = Entry{"InvalidForwardTableId.NotFound", 404, "The specified ForwardTableId does not exist."}
	InvalidForwardEntryNotFnd = Entry{"InvalidForwardEntryId.NotFound", 404, "The specified ForwardEntryId does not exist."}
	// NatIPNotOwned: a SnatIp or ExternalIp that is no EIP of the gateway [choice].
	NatIPNotOwned = Entry{"InvalidIp.NotBelongToNatgw", 400, "The specified IP address is not an EIP associated with the NAT gateway."}
	// SnatSourceDuplicated: each vSwitch or CIDR block is in one SNAT entry [choice].
	SnatSourceDuplicated = Entry{"Forbidden.SourceDuplicated", 400, "The specified source vSwitch or CIDR block already has an SNAT entry."}
	// SnatSourceConflict: SourceVSwitchId and SourceCIDR together, or neither [choice].
	SnatSourceConflict           = Entry{"InvalidParameter.SourceVSwitchIdOrSourceCIDR", 400, "Exactly one of SourceVSwitchId and SourceCIDR must be specified."}
	InvalidSourceCIDR            = Entry{"InvalidSourceCIDR.Malformed", 400, "The specified SourceCIDR is not valid."}
	InvalidExternalIPMalformed   = Entry{"InvalidExternalIp.Malformed", 400, "The specified ExternalIp is not a valid IP address."}
	InvalidInternalIPMalformed   = Entry{"InvalidInternalIp.Malformed", 400, "The specified InternalIp is not a valid IP address."}
	InvalidExternalPortMalformed = Entry{"InvalidExternalPort.Malformed", 400, "The specified ExternalPort is not a valid port."}
	InvalidInternalPortMalformed = Entry{"InvalidInternalPort.Malformed", 400, "The specified InternalPort is not a valid port."}
	// InvalidProtocolNotSupported: the misspelt code is the real one.
	InvalidProtocolNotSupported = Entry{"InvalidProtocal.ValueNotSupported", 400, "The specified IpProtocol does not support."}
	ForwardInternalOutOfVpc     = Entry{"Forbidden.DestnationIpOutOfVpcCIDR", 400, "The specified Internal Ip is Out of VPC CIDR."}
	ForwardInternalConflict     = Entry{"OperationUnsupported.ForwardEntry", 400, "Duplicated destination ip port is unsupported."}
	// ForwardEntryConflict: the same ExternalIp, ExternalPort and IpProtocol twice [choice].
	ForwardEntryConflict = Entry{"Forbidden.ForwardEntryConflict", 400, "The ExternalIp, ExternalPort and IpProtocol are used by another DNAT entry."}
	ForwardQuotaExceeded = Entry{"QuotaExceeded", 400, "Forward entry quota exceeded in this forward table."}
	EIPUsedBySnat        = Entry{"InvalidIpStatus.HasBeenUsedBySnatTable", 400, "The removed ip address has been used by snat table."}
	EIPUsedByForward     = Entry{"InvalidIpStatus.HasBeenUsedByForwardEntry", 400, "The specified address has been used by forwardTable."}
)

// Availability and key pair errors.
var (
	NoStock                       = Entry{"OperationDenied.NoStock", 403, "Sales of this resource are temporarily suspended in the specified region; please try again later."}
	ModificationResourceNotFound  = Entry{"InvalidResourceId.NotFound", 404, "The specified ResourceId is not found."}
	KeyPairNotFound               = Entry{"InvalidKeyPairName.NotFound", 404, "The specified parameter \"KeyPairName\" does not exist in our records."}
	KeyPairNotFoundAttach         = Entry{"InvalidKeyPairName.NotFound", 400, "The specified KeyPairName does not exist in our records."}
	KeyPairNameMalformed          = Entry{"InvalidKeyPairName.Malformed", 400, "Specified Key Pair name is not valid."}
	KeyPairAlreadyExist           = Entry{"KeyPair.AlreadyExist", 400, "The key pair already exist."}
	PublicKeyBodyMalformed        = Entry{"InvalidPublicKeyBody.Malformed", 400, "The PublicKeyBody format is not supported."}
	KeyPairNamesMalformed         = Entry{"InvalidKeyPairNames.Malformed", 400, "The specified parameter \"KeyPairNames\" is not valid."}
	KeyPairQuotaExceed            = Entry{"QuotaExceed.KeyPair", 403, "The key pair quota exceeds."}
	ImageNameMalformed            = Entry{"InvalidImageName.Malformed", 400, "The specified Image name is wrongly formed."}
	ImageNameDuplicated           = Entry{"InvalidImageName.Duplicated", 400, "The specified Image name has already been used."}
	ImageInUse                    = Entry{"IncorrectImageStatus", 403, "The specified image is being used by instances."}
	ImageNotAvailable             = Entry{"IncorrectImageStatus", 400, "The image not available."}
	SnapshotCreatedImage          = Entry{"SnapshotCreatedImage", 403, "The snapshot has been used to create user defined image(s)."}
	ImageQuotaExceed              = Entry{"QuotaExceed.Image", 403, "The Image Quota exceeds."}
	LaunchTemplateNotFound        = Entry{"InvalidLaunchTemplate.NotFound", 404, "The specified LaunchTemplate is not found."}
	LaunchTemplateVersionNotFound = Entry{"InvalidLaunchTemplateVersion.NotFound", 404, "The specified LaunchTemplateVersion is not found."}
	LaunchTemplateNameDuplicated  = Entry{"LaunchTemplateName.Duplicated", 403, "The specified LaunchTemplateName already exist."}
	LaunchTemplateLimitExceed     = Entry{"LaunchTemplateLimitExceed", 403, "The maximum number of templates is exceeded."}
	LaunchTemplateVersionLimit    = Entry{"LaunchTemplateVersionLimitExceed", 403, "The maximum number of launch template versions is exceeded."}
	LaunchTemplateDefaultVersion  = Entry{"InvalidOperation.DeleteDefaultVersion", 403, "The default version of a launch template cannot be deleted."}
	LaunchTemplateNameMalformed   = Entry{"InvalidLaunchTemplateName.Malformed", 400, "The specified parameter \"LaunchTemplateName\" is not valid."}
	DeploymentSetNotFound         = Entry{"InvalidDeploymentSetId.NotFound", 404, "The specified DeploymentSetId does not exist."}
	DeploymentSetNotFoundAction   = Entry{"InvalidDeploymentSetId.NotFound", 400, "The specified DeploymentSetId does not exist."}
	DeploymentSetFull             = Entry{"QuotaExceed.DeploymentSetInstanceQuotaFull", 403, "instance quota in one deployment set exceeded."}
	DeploymentSetNameMalformed    = Entry{"InvalidDeploymentSetName.Malformed", 400, "Specified deployment set name is not valid."}
	DeploymentSetHasInstances     = Entry{"DependencyViolation.Instance", 403, "The deployment set still holds instances."}
	SecurityGroupInstanceMismatch = Entry{"InvalidInstanceId.Mismatch", 400, "Specified instance and security group are not in the same VPC."}
	SecurityGroupAlreadyJoined    = Entry{"InvalidInstanceId.AlreadyExists", 403, "The specified instance already exists in the specified security group."}
	InstanceSecurityGroupLimit    = Entry{"InstanceSecurityGroupLimitExceeded", 403, "The maximum number of security groups an instance can join is exceeded."}
	SecurityGroupNotJoined        = Entry{"InvalidSecurityGroupId.NotFound", 404, "The specified instance is not in the specified security group."}
	SecurityGroupLastOne          = Entry{"InvalidOperation.LastSecurityGroup", 403, "An instance must stay in at least one security group."}
	KeyPairWindowsInstance        = Entry{"DependencyViolation.WindowsInstance", 403, "The instance creating is window, cannot use ssh key pair to login."}
)

// Route table errors: the error tables of the AssociateRouteTable and
// DeleteRouteTable references; [choice] marks those they leave open.
var (
	AssociateSystemRouteTable  = Entry{"OperationDenied.SwitchToSystemRouteTable", 400, "The associated route tables cannot be directly changed to system route tables."}
	AssociateGatewayRouteTable = Entry{"OperationDenied.AssociateGatewayRouteTable", 400, "The operation is not allowed because gateway route tables cannot be bound to a vSwitch."}
	RouteTableNotInSameVpc     = Entry{"Forbidden.NotInSameVpc", 404, "The specified virtual switch and route table are not in the same VPC."}
	VSwitchAlreadyAssociated   = Entry{"Forbidden.VSwitchAlreadyAssociatedRouteTable", 404, "The specified virtual switch already associates route table."}
	// VSwitchNotAssociated: UnassociateRouteTable of a table the vSwitch does not use [choice].
	VSwitchNotAssociated    = Entry{"IncorrectStatus.RouteTable", 404, "The status of the specified route table is incorrect."}
	IncorrectRouteTableType = Entry{"IncorrectRouteTableType", 400, "Route table can be deleted by this action only when it's type is custom."}
	RouteTableEntryExist    = Entry{"IncorrectRouteTableStatus.RouteEntryExist", 400, "You cannot delete the specified route table because it still has custom route entry."}
	// RouteTableAssociated: DeleteRouteTable while vSwitches use the table [choice].
	RouteTableAssociated = Entry{"DependencyViolation.VSwitch", 400, "You cannot delete the specified route table because it still associates with vSwitch."}
)

// Secondary private address errors (AssignPrivateIpAddresses,
// UnassignPrivateIpAddresses); [choice] marks those the references leave open.
var (
	Ipv4CountExceeded = Entry{"InvalidOperation.Ipv4CountExceeded", 403, "The maximum number of IPv4 addresses is exceeded."}
	// IPUnassigned: an address that is not a secondary address of the ENI [choice].
	IPUnassigned = Entry{"InvalidIp.IpUnassigned", 403, "The specified IP is not assigned on this ENI."}
)

// Security group modification errors (ModifySecurityGroupAttribute,
// ModifySecurityGroupRule, ModifySecurityGroupPolicy); "Discription" is the
// real spelling. [choice] marks those the references leave open.
var (
	SecurityGroupNameMalformed     = Entry{"InvalidSecurityGroupName.Malformed", 400, "Specified security group name is not valid."}
	SecurityGroupDescMalformed     = Entry{"InvalidSecurityGroupDiscription.Malformed", 400, "Specified security group description is not valid."}
	SecurityGroupRuleDescMalformed = Entry{"InvalidSecurityGroupDiscription.Malformed", 400, "The specified security group rule description is not valid."}
	// RuleDuplicated: a modification that would make a rule identical to another of the group [choice].
	RuleDuplicated = Entry{"InvalidSecurityGroupRule.RuleDuplicated", 400, "The modified rule duplicates another rule of the security group."}
	// EnterpriseInnerAccess: an advanced group's members are always isolated [choice].
	EnterpriseInnerAccess = Entry{"InvalidSecurityGroup.InvalidNetworkType", 400, "The specified security group network type is not support this operation."}
)

// Instance change errors (ModifyInstanceSpec, ModifyPrepayInstanceSpec,
// ModifyInstanceNetworkSpec, ModifyInstanceVpcAttribute and the instance's
// long tail); [choice] marks those the references leave open.
var (
	InstanceNotStopped    = Entry{"InvalidInstanceStatus.NotStopped", 400, "The specified Instance status is not stopped."}
	ZoneTypeNotOffered    = Entry{"InvalidInstanceType.ValueNotSupported", 403, "The specified zone does not offer the specified instancetype."}
	InvalidOperatorType   = Entry{"InvalidParameter.OperatorType", 400, "The specified parameter OperatorType is not valid for the specified InstanceType."}
	InvalidBandwidth      = Entry{"InvalidParameter.Bandwidth", 400, "The specified parameter Bandwidth is not valid."}
	VncPasswordMalformed  = Entry{"InvalidVncPassword.Malformed", 400, "The specified parameter VncPassword is not valid."}
	InstanceNotRunning    = Entry{"IncorrectInstanceStatus", 403, "The current status of the resource does not support this operation."}
	InstanceNotExpired    = Entry{"InvalidInstanceStatus.NotExpired", 403, "The specified instance has not expired and does not need reactivation."} // [choice]
	MaintenanceWindowBad  = Entry{"InvalidParameter.MaintenanceWindow", 400, "The specified parameter MaintenanceWindow is not valid."}
	VSwitchZoneMismatch   = Entry{"InvalidVSwitchId.ZoneMismatch", 403, "The specified VSwitch and the instance are not in the same zone."} // [choice]
	InvalidPrivatePoolOpt = Entry{"InvalidParameter.PrivatePoolOptions", 400, "The specified parameter PrivatePoolOptions is not valid."}
)

// InstanceEIPBound: AllocatePublicIp on an instance with an EIP (the ModifyInstanceSpec reference's code).
var InstanceEIPBound = Entry{"InvalidOperation.InstanceWithEipNotSupport", 403, "The special instance with eip not support operate, please unassociate eip first."}

// DowngradeNotSupported: DescribeInstanceModificationPrice for a type that is no upgrade (the ModifyInstanceSpec reference's code).
var DowngradeNotSupported = Entry{"Downgrade.NotSupported", 400, "Downgrade operation is not supported."}

// Prefix list errors (CreatePrefixList, ModifyPrefixList, DeletePrefixList and
// security group rules naming one); [choice] marks those the references leave open.
var (
	// (PrefixListNotFound is shared with the VPC prefix lists, declared below.)
	// PrefixListFamilyMismatch: an IPv6 list as the peer of an IPv4 rule [choice].
	PrefixListFamilyMismatch = Entry{"InvalidParam.PrefixListAddressFamilyMismatch", 400, "The address family of the prefix list does not match the rule."}
	// PrefixListInUse: DeletePrefixList while security group rules name it [choice].
	PrefixListInUse = Entry{"DependencyViolation.PrefixList", 403, "The prefix list is associated with security group rules."}
	// PrefixListEntriesExceed: more entries than MaxEntries [choice].
	PrefixListEntriesExceed = Entry{"InvalidParameter.EntryCountExceeded", 400, "The number of entries exceeds MaxEntries of the prefix list."}
)

// Port range list errors; [choice] marks those the references leave open.
var (
	PortRangeListNotFound = Entry{"InvalidPortRangeListId.NotFound", 404, "The specified port range list was not found."} // [choice]
	// PortRangeListInUse: DeletePortRangeList while security group rules name it [choice].
	PortRangeListInUse = Entry{"DependencyViolation.PortRangeList", 403, "The port range list is associated with security group rules."}
)

// ENI permission errors; [choice] marks those the references leave open.
var (
	ENIPermissionNotFound = Entry{"InvalidNetworkInterfacePermissionId.NotFound", 404, "The specified NetworkInterfacePermissionId does not exist."} // [choice]
	ENIPermissionExists   = Entry{"InvalidOperation.PermissionExists", 403, "The account already holds this permission on the ENI."}                 // [choice]
	ENIPermissionState    = Entry{"InvalidOperation.InvalidPermissionState", 403, "The operation is not allowed in the current permission state."}   // [choice]
)

// PublicIPNotFound: ConvertNatPublicIpToEip of an instance without a public address [choice].
var PublicIPNotFound = Entry{"InvalidPublicIpAddress.NotFound", 404, "The specified public IP address does not exist."}

// TooManyDataQueried: a monitor query of more than 400 data points.
var TooManyDataQueried = Entry{"InvalidParameter.TooManyDataQueried", 400, "Too many data queried."}

// Static public IP errors: the error tables of the AllocatePublicIpAddress and
// ReleasePublicIpAddress references; [choice] marks those they leave open.
var (
	PublicIPMalformed       = Entry{"InvalidIpAddress.Malformed", 400, "The specified parameter \"IpAddress\" is not valid."}
	PublicIPVlanNotFound    = Entry{"InvalidVlanId.NotFound", 404, "The VlanId provided does not exist in our records."}
	PublicIPNotInPool       = Entry{"InvalidIpAddress.NotFound", 404, "The specified IP is not in the specified vlan."}
	PublicIPInUse           = Entry{"IpInUse", 403, "The specified IP is already in use."}
	PublicIPAllocated       = Entry{"AllocatedAlready", 403, "There is an IpAddress allocated already for the specified instance."}
	PublicIPInstanceHasEIP  = Entry{"OperationDenied", 400, "Specified operation is denied as your instance is in VPC."}
	PublicIPNoBandwidth     = Entry{"AllocateIpInvalidInstanceBandwidth", 400, "OperationDenied The InternetMaxBandwidthOut of the specified instance cannot be less than 0."}
	PublicIPPoolExhausted   = Entry{"InsufficientPublicIp", 400, "Ip address not found"}
	PublicIPReleaseNotFound = Entry{"InvalidIpAddress.NotFound", 400, "The specified parameter \"IpAddress\" is not found in your records."}
)

// Image sharing, copies and families (ModifyImageSharePermission,
// CancelCopyImage, DeleteImage of a shared image).
var (
	ImageUseShared = Entry{"ImageUseShared", 403, "The specified image has been shared to others."}
	// ImageNotCopying: CancelCopyImage of an image that is no copy in progress [choice of code].
	ImageNotCopying = Entry{"IncorrectImageStatus", 403, "The specified image is not being copied."}
	// ImageShareAccount: sharing with the owner itself or a malformed account [choice of code].
	ImageShareAccount = Entry{"InvalidAccount.Malformed", 400, "The specified account \"%s\" is not valid."}
	ImageShareLimit   = Entry{"QuotaExceed.ShareAccount", 403, "The number of accounts an image is shared with exceeds the limit of 500."}
)

// Disk rewrites and specs (ResetDisk, ReInitDisk, ReplaceSystemDisk,
// ModifyDiskSpec). [choice] marks codes the references do not name.
var (
	// SnapshotNotOfDisk: ResetDisk with a snapshot of another disk [choice].
	SnapshotNotOfDisk           = Entry{"InvalidSnapshotId.NotBelongToDisk", 403, "The specified snapshot was not created from the specified disk."}
	ImageNotSupportInstanceType = Entry{"InvalidImageId.NotSupportInstanceType", 403, "The specified image does not support the instance type."}
	DiskCategoryNotSupported    = Entry{"InvalidDiskCategory.NotSupported", 403, "The specified disk category is not supported."}
	InvalidPerformanceLevel     = Entry{"InvalidPerformanceLevel.Malformed", 400, "The specified parameter PerformanceLevel is not valid."}
	// DiskSpecUnchanged: ModifyDiskSpec to the disk's own category and level [choice].
	DiskSpecUnchanged           = Entry{"InvalidParameter.DiskSpecUnchanged", 400, "The specified disk spec is the same as the current one."}
	InvalidPerformanceLevelSize = Entry{"InvalidPerformanceLevel.SizeNotSupported", 403, "The disk size is not supported by the specified performance level."}
	InvalidKMSKeyID             = Entry{"InvalidKMSKeyId.Malformed", 400, "The specified parameter KMSKeyId is not valid."}
)

// Snapshot locks, copies and groups (LockSnapshot, UnlockSnapshot,
// CopySnapshot, CreateSnapshotGroup). [choice] marks codes the references
// do not name.
var (
	// SnapshotLocked: DeleteSnapshot (or a group's delete) of a locked snapshot [choice].
	SnapshotLocked = Entry{"OperationDenied.SnapshotLocked", 403, "The specified snapshot is locked and cannot be deleted."}
	// SnapshotNotLocked: UnlockSnapshot of a snapshot without a lock [choice].
	SnapshotNotLocked = Entry{"OperationDenied.SnapshotNotLocked", 403, "The specified snapshot is not locked."}
	// SnapshotLockCoolOffOver: unlocking, or relocking with a cool-off, after the cool-off period [choice].
	SnapshotLockCoolOffOver = Entry{"OperationDenied.CoolOffPeriodExpired", 403, "The cool-off period of the snapshot lock has expired; the lock can only be extended."}
	// SnapshotLockShorter: a lock after the cool-off period that would end sooner [choice].
	SnapshotLockShorter = Entry{"InvalidParameter.LockDuration", 400, "The lock duration can only be extended after the cool-off period."}
	// SnapshotCategoryArchived: ModifySnapshotCategory of an archived snapshot or a progressing one [choice].
	SnapshotCategoryNotSupported = Entry{"OperationDenied.SnapshotCategory", 403, "The category of the specified snapshot cannot be changed."}
	InvalidSnapshotGroupID       = Entry{"InvalidSnapshotGroupId.NotFound", 404, "The specified snapshot-consistent group does not exist."}
	// SnapshotGroupNoDisk: CreateSnapshotGroup with no disk left to snapshot [choice].
	SnapshotGroupNoDisk = Entry{"InvalidParameter.DiskId", 400, "The specified disks are not attached to the instance."}
)

// Cloud Assistant (CreateCommand, InvokeCommand, RunCommand, StopInvocation):
// the codes of their references. [choice] marks codes they do not name.
var (
	InvalidCmdIDNotFound    = Entry{"InvalidCmdId.NotFound", 404, "The specified command ID does not exist."}
	InvalidInvokeIDNotFound = Entry{"InvalidInvokeId.NotFound", 404, "The specified invoke ID does not exist."}
	InvalidInstanceNotFound = Entry{"InvalidInstance.NotFound", 404, "The specified instance does not exist."}
	InstanceIDsExceedLimit  = Entry{"InstanceIds.ExceedLimit", 403, "The number of instance IDs exceeds the upper limit."}
	CmdContentExceedLimit   = Entry{"CmdContent.ExceedLimit", 403, "The maximum length of a command is exceeded."}
	ParameterDisabled       = Entry{"Parameter.Disabled", 404, "Parameters cannot be passed in when the command customization function is disabled."}
	OperationForbidden      = Entry{"Operation.Forbidden", 403, "The operation is not permitted."}
	// CmdContentMalformed: CommandContent that is not Base64 when ContentEncoding says it is [choice].
	CmdContentMalformed = Entry{"InvalidParam.CommandContent", 400, "The specified CommandContent is not valid Base64."}
	// RepeatModeNotSupported: a RepeatMode other than Once [choice: ecslocal runs one-time invocations only].
	RepeatModeNotSupported = Entry{"InvalidParam.RepeatMode", 400, "The specified RepeatMode is not supported: only Once."}
)

// HPC clusters and tasks. [choice] marks codes the references do not name.
var (
	// InvalidHpcClusterID: an HpcClusterId of no cluster [choice].
	InvalidHpcClusterID = Entry{"InvalidHpcClusterId.NotFound", 404, "The specified HpcClusterId does not exist."}
	// HpcClusterNameDuplicated: a name another cluster of the region has [choice].
	HpcClusterNameDuplicated = Entry{"InvalidName.Duplicated", 400, "The specified Name already exists."}
	InvalidTaskIDNotFound    = Entry{"InvalidTaskId.NotFound", 404, "The specified task does not exist."}
	// TaskNotCancellable: CancelTask of a task that is not an import or export in progress [choice].
	TaskNotCancellable = Entry{"InvalidTask.NotSupportCancel", 403, "The specified task cannot be cancelled."}
)

// Image builder components. [choice] marks codes the references do not name.
var (
	// InvalidImageComponentID: an ImageComponentId of no component [choice].
	InvalidImageComponentID = Entry{"InvalidImageComponentId.NotFound", 404, "The specified image component does not exist."}
)

// VPC long tail: attributes, default networks, secondary CIDR blocks,
// deletion protection, resource groups and batch route entries. Codes follow
// the VPC references' error tables; [choice] marks those they leave open.
var (
	// VpcDeletionProtection: ReleaseEipAddress (its error table) and
	// DeleteNatGateway [choice: the same code] of a protected resource.
	VpcDeletionProtection = Entry{"InvalidOperation.DeletionProtection", 400, "The instance has deletion protection enabled and cannot be deleted."}
	// DefaultVpcExists: CreateDefaultVpc where the region has one [choice].
	DefaultVpcExists = Entry{"OperationFailed.DefaultVpcExist", 400, "The default VPC already exists in the region."}
	// DefaultVpcNotFound: CreateDefaultVSwitch before CreateDefaultVpc [choice].
	DefaultVpcNotFound = Entry{"OperationFailed.DefaultVpcNotExist", 400, "The default VPC does not exist in the region."}
	// DefaultVSwitchExists: a second default vSwitch in a zone [choice].
	DefaultVSwitchExists = Entry{"OperationFailed.DefaultVSwitchExist", 400, "The default vSwitch already exists in the zone."}
	// DefaultVpcCidrFull: no /20 of the default VPC's block is free [choice].
	DefaultVpcCidrFull = Entry{"QuotaExceeded.DefaultVSwitch", 400, "No CIDR block is left in the default VPC for a default vSwitch."}
	// SecondaryCidrOverlap: AssociateVpcCidrBlock over a block the VPC has.
	SecondaryCidrOverlap = Entry{"InvalidCidrBlock.Overlapped", 400, "Specified CIDR block overlapped with the VPC's CIDR blocks."}
	// SecondaryCidrQuota: more than 5 secondary IPv4 blocks.
	SecondaryCidrQuota = Entry{"QuotaExceeded.SecondaryCidrBlock", 400, "The number of secondary CIDR blocks of the VPC exceeds the quota."}
	// SecondaryCidrNotFound: UnassociateVpcCidrBlock of a block the VPC lacks [choice].
	SecondaryCidrNotFound = Entry{"InvalidSecondaryCidrBlock.NotFound", 404, "The specified secondary CIDR block does not exist in the VPC."}
	// SecondaryCidrInUse: UnassociateVpcCidrBlock while vSwitches use it.
	SecondaryCidrInUse = Entry{"DependencyViolation.VSwitch", 400, "The specified CIDR block is used by vSwitches."}
	// InvalidDeletionProtectionType: Type outside EIP, CBWP, NATGW.
	InvalidDeletionProtectionType = Entry{"InvalidParameter.Type", 400, "The specified Type is not valid."}
	// InvalidResourceGroupResourceType: ChangeResourceGroup of an unknown ResourceType.
	InvalidResourceGroupResourceType = Entry{"InvalidResourceType", 400, "The specified ResourceType is not valid."}
	// InvalidResourceGroupID: a NewResourceGroupId that is no rg-… id.
	InvalidResourceGroupID = Entry{"InvalidResourceGroupId", 400, "The specified NewResourceGroupId is not valid."}
	// ResourceNotFound: ChangeResourceGroup of an id of no resource of the type.
	ResourceNotFound = Entry{"InvalidResourceId.NotFound", 404, "The specified resource does not exist."}
	// RouteEntryCountExceeded: more than 50 RouteEntries.N in a batch.
	RouteEntryCountExceeded = Entry{"QuotaExceeded.RouteEntryCount", 400, "At most 50 route entries are allowed in one request."}
	// RouteEntryModifySystem: ModifyRouteEntry of a system entry's next hop.
	RouteEntryModifySystem = Entry{"OperationDenied", 400, "Specified operation is denied as route entry type is system."}
)

// HaVip errors: the HaVip references' error tables; [choice] marks those
// they leave open.
var (
	InvalidHaVipIDNotFound = Entry{"InvalidHaVipId.NotFound", 404, "The specified HaVip does not exist."}
	// IncorrectHaVipStatus: DeleteHaVip of a HaVip that is not Available.
	IncorrectHaVipStatus = Entry{"IncorrectHaVipStatus", 400, "The status of the specified HaVip does not support this operation."}
	// HaVipRouteDependency: DeleteHaVip while a route entry forwards to it [choice].
	HaVipRouteDependency = Entry{"DependencyViolation.RouteEntry", 400, "The specified HaVip is used by route entries."}
	// HaVipVSwitchMismatch: AssociateHaVip of a target in another vSwitch [choice].
	HaVipVSwitchMismatch = Entry{"InvalidVSwitchId.NotSame", 400, "The instance and the HaVip are not in the same vSwitch."}
	// HaVipAlreadyAssociated: the target is associated already [choice].
	HaVipAlreadyAssociated = Entry{"InvalidInstanceId.AlreadyAssociated", 400, "The specified instance is already associated with the HaVip."}
	// HaVipTypeMismatch: an ECS instance beside ENIs, or the other way round [choice].
	HaVipTypeMismatch = Entry{"InvalidInstanceType.Mismatch", 400, "A HaVip is associated with ECS instances or with network interfaces, not both."}
	// HaVipQuota: more than 10 associations [choice].
	HaVipQuota = Entry{"QuotaExceeded.HaVipAssociation", 400, "The HaVip is associated with the maximum number of instances."}
	// HaVipNotAssociated: UnassociateHaVip of a target it does not hold [choice].
	HaVipNotAssociated = Entry{"InvalidInstanceId.NotAssociated", 400, "The specified instance is not associated with the HaVip."}
	// HaVipMaster: UnassociateHaVip of the master without Force=True (reference).
	HaVipMaster = Entry{"OperationDenied.MasterInstance", 400, "The master instance of the HaVip can be unassociated only with Force set to True."}
	// HaVipIPUsed: CreateHaVip at an address in use.
	HaVipIPUsed = Entry{"InvalidIpAddress.AlreadyUsed", 400, "The specified IP address is already used."}
)

// Network ACL errors: the network ACL references' error tables; [choice]
// marks those they leave open.
var (
	InvalidNetworkACLIDNotFound = Entry{"InvalidNetworkAclId.NotFound", 404, "The specified network ACL does not exist."}
	// IncorrectNetworkACLStatus: a change while the ACL is still Modifying.
	IncorrectNetworkACLStatus = Entry{"IncorrectStatus.NetworkAcl", 400, "The status of the network ACL does not support this operation."}
	// NetworkACLInUse: DeleteNetworkAcl while vSwitches are associated [choice].
	NetworkACLInUse = Entry{"DependencyViolation.NetworkAcl", 400, "The network ACL is still associated with vSwitches."}
	// NetworkACLEntryQuota: more than 20 custom entries in a direction.
	NetworkACLEntryQuota = Entry{"QuotaExceeded.NetworkAclEntry", 400, "The number of network ACL entries exceeds the quota."}
	// NetworkACLVpcMismatch: a vSwitch or source ACL of another VPC [choice].
	NetworkACLVpcMismatch = Entry{"InvalidVSwitchId.NotBelongToVpc", 400, "The specified resource and the network ACL are not in the same VPC."}
	// VSwitchBoundToACL: a vSwitch already associated with an ACL [choice].
	VSwitchBoundToACL = Entry{"Forbidden.VSwitchBindNetworkAcl", 400, "The vSwitch is already associated with a network ACL."}
	// VSwitchNotBoundToACL: UnassociateNetworkAcl of a vSwitch it does not hold [choice].
	VSwitchNotBoundToACL = Entry{"InvalidVSwitchId.NotBindNetworkAcl", 400, "The vSwitch is not associated with the network ACL."}
)

// Dependencies the VPC long tail adds to DeleteVSwitch and DeleteVpc [choice:
// their error tables name no code for these resources].
var (
	VSwitchBoundACLDependency = Entry{"DependencyViolation.NetworkAcl", 400, "The vSwitch is associated with a network ACL."}
	VpcDependencyNetworkACL   = Entry{"DependencyViolation.NetworkAcl", 400, "Specified object has dependent resources NetworkAcl."}
)

// DHCP options set errors: the DHCP options set references' error tables;
// [choice] marks those they leave open.
var (
	InvalidDhcpOptionsSetIDNotFound = Entry{"InvalidDhcpOptionsSetId.NotFound", 404, "The specified DHCP options set does not exist."}
	// DhcpOptionsSetInUse: DeleteDhcpOptionsSet while VPCs are attached [choice].
	DhcpOptionsSetInUse = Entry{"DependencyViolation.DhcpOptionsSet", 400, "The DHCP options set is still attached to VPCs."}
	// VpcHasDhcpOptionsSet: AttachDhcpOptionsSetToVpc of a VPC with a set [choice].
	VpcHasDhcpOptionsSet = Entry{"InvalidVpc.DhcpOptionsSetAttached", 400, "A DHCP options set is already attached to the VPC."}
	// VpcNotAttachedDhcp: a VPC without that set, for Detach or Replace [choice].
	VpcNotAttachedDhcp = Entry{"InvalidVpc.DhcpOptionsSetNotAttached", 400, "The DHCP options set is not attached to the VPC."}
)

// vSwitch CIDR reservation errors: the reservation references' error
// tables; [choice] marks those they leave open.
var (
	InvalidReservationIDNotFound = Entry{"InvalidVSwitchCidrReservationId.NotFound", 404, "The specified vSwitch CIDR reservation does not exist."}
	// InvalidReservationCidr: a block outside the vSwitch's, or not canonical.
	InvalidReservationCidr = Entry{"InvalidVSwitchCidrReservationCidr.Malformed", 400, "The specified VSwitchCidrReservationCidr is not valid."}
	// InvalidReservationMask: a mask not longer than the vSwitch's, or past /28.
	InvalidReservationMask = Entry{"InvalidVSwitchCidrReservationMask.Malformed", 400, "The specified VSwitchCidrReservationMask is not valid."}
	// ReservationOverlap: a block overlapping another reservation.
	ReservationOverlap = Entry{"InvalidVSwitchCidrReservationCidr.Overlapped", 400, "The specified CIDR block overlaps with another reserved CIDR block."}
	// ReservationInUse: a block holding an address in use [choice].
	ReservationInUse = Entry{"OperationFailed.CidrHasUsedIp", 400, "The specified CIDR block contains IP addresses in use."}
	// ReservationCidrExhausted: no free block of the mask is left [choice].
	ReservationCidrExhausted = Entry{"QuotaExceeded.VSwitchCidrReservation", 400, "No free CIDR block of the mask is left in the vSwitch."}
)

// VPC NAT gateway (NAT IP, NAT IP CIDR, FULLNAT) errors. Codes and statuses
// follow the DeleteNatIp, CreateNatIpCidr and CreateFullNatEntry
// references; [choice] marks those they leave open.
var (
	NatNotIntranet       = Entry{"OperationUnsupported.NetworkType", 400, "The operation is supported by VPC NAT gateways only."}                      // [choice]
	InvalidNatIPCidr     = Entry{"IllegalParam.NatIpCidr", 400, "The specified NatIpCidr is not valid."}                                               // [choice]
	NatIPCidrConflict    = Entry{"OperationFailed.NatIpCidrConflict", 400, "The specified NatIpCidr overlaps a NAT IP CIDR block of the NAT gateway."} // [choice]
	NatIPCidrNotFound    = Entry{"ResourceNotFound.NatIpCidr", 404, "The specified NatIpCidr does not exist."}                                         // [choice]
	NatIPCidrDefault     = Entry{"OperationFailed.DefaultNatIpCidr", 400, "The default NAT IP CIDR block cannot be deleted."}                          // [choice]
	NatIPCidrDependency  = Entry{"DependencyViolation.NatIpCidr", 400, "The specified NAT IP CIDR block still holds NAT IPs."}                         // [choice]
	NatIPNotFound        = Entry{"ResourceNotFound.NatIp", 404, "The specified NatIpId does not exist."}                                               // [choice]
	NatIPDefault         = Entry{"OperationFailed.DefaultNatIp", 400, "The operation is failed because of default NatIP can not be deleted."}
	NatIPDependency      = Entry{"DependencyViolation.NatIp", 400, "The specified resource of NatIp depends on NAT entries, so the operation cannot be completed."}
	NatIPUsed            = Entry{"OperationConflict.NatIpUsed", 400, "The specified NatIp is already in use."}                                    // [choice]
	FullNatTableNotFound = Entry{"InvalidFullNatTableId.NotFound", 404, "The specified FullNatTableId does not exist."}                           // [choice]
	FullNatEntryNotFound = Entry{"InvalidFullNatEntryId.NotFound", 404, "The specified FullNatEntryId does not exist."}                           // [choice]
	FullNatEntryConflict = Entry{"Forbidden.FullNatEntryConflict", 400, "The NatIp, NatIpPort and IpProtocol are used by another FULLNAT entry."} // [choice]
	NatDependencyFullNat = Entry{"DependencyViolation.FullNatEntry", 400, "The specified resource of NatGateway depends on FullNatEntry, so the operation cannot be completed."}
	FullNatENIOutOfVpc   = Entry{"InvalidParameter.NetworkInterfaceId", 400, "The specified network interface is not in the VPC of the NAT gateway."} // [choice]
	NatSpecNotPayBySpec  = Entry{"OperationUnsupported.PayByLcu", 400, "The specification of a pay-by-CU NAT gateway cannot be changed."}             // [choice]
)

// Internet Shared Bandwidth (common bandwidth package) errors, from the
// DeleteCommonBandwidthPackage and AddCommonBandwidthPackageIps references.
var (
	InvalidBandwidthPackageNotFound = Entry{"InvalidBandwidthPackageId.NotFound", 404, "The specified bandwidthPackageId does not exist in our records."}
	BandwidthPackageHasIps          = Entry{"DependencyViolation.Ips", 400, "The specified BandwidthPackageId has dependent resource ips."}
	InvalidIPInstanceNotFound       = Entry{"InvalidIpInstanceId.NotFound", 400, "The specified Eip InstanceId does not exist in our records."}
	IPAlreadyInBandwidthPackage     = Entry{"IpInstanceId.AlreadyInBandwidthPackage", 400, "The specified Eip InstanceId already in bandwidthPackage."}
	IPPrepaidBandwidthPackage       = Entry{"IpInstanceId.ChargeType.NotSupport", 400, "The specified Eip instance is PrePaid type, Cannot add to BandwidthPackage."}
	IPNotInBandwidthPackage         = Entry{"IpInstanceId.NotInBandwidthPackage", 400, "The specified Eip InstanceId is not in the bandwidthPackage."} // [choice]
	IPISPMismatch                   = Entry{"AttrMismatching.ISP", 400, "The line type of the EIP differs from that of the bandwidthPackage."}         // [choice]
	IPQuotaExceededPackage          = Entry{"IpInstanceId.QuotaExceeded", 400, "The specified BandwidthPackageId has too many ip in it. exceed the quota , Cannot add more."}
	EIPInBandwidthPackage           = Entry{"IncorrectEipStatus", 400, "Current elastic IP status does not support this operation: the EIP is in an Internet Shared Bandwidth instance."}
)

// AllocateEipAddressPro errors [choice]: the reference names none for an
// address outside the pool or already allocated.
var (
	EIPAddressNotInPool = Entry{"InvalidIpAddress.NotInPool", 400, "The specified IpAddress is not in the EIP address pool."}
	EIPAddressInUse     = Entry{"InvalidIpAddress.AlreadyAllocated", 400, "The specified IpAddress is already allocated."}
)

// IPv4 gateway errors [choice]: the references of the IPv4 gateway actions
// list no codes for these cases.
var (
	Ipv4GatewayNotFound          = Entry{"ResourceNotFound.Ipv4Gateway", 404, "The specified Ipv4GatewayId does not exist."}
	Ipv4GatewayExists            = Entry{"ResourceAlreadyExist.Ipv4Gateway", 400, "The specified VPC already has an IPv4 gateway."}
	IncorrectIpv4GatewayStatus   = Entry{"IncorrectStatus.Ipv4Gateway", 400, "The status of the IPv4 gateway does not support this operation."}
	Ipv4GatewayHasRouteTable     = Entry{"DependencyViolation.GatewayRouteTable", 400, "The IPv4 gateway is still associated with a gateway route table."}
	GatewayRouteTableVpcMismatch = Entry{"InvalidRouteTableId.NotBelongToVpc", 400, "The route table and the gateway are not in the same VPC."}
	GatewayRouteTableType        = Entry{"IncorrectRouteTableType", 400, "Only a custom route table of type Gateway can be associated with a gateway."}
	GatewayRouteTableBound       = Entry{"OperationFailed.GatewayRouteTableAssociated", 400, "The gateway or the route table is already associated."}
	GatewayRouteTableNotBound    = Entry{"OperationFailed.GatewayRouteTableNotAssociated", 400, "The route table is not associated with the gateway."}
	VpcDependencyIpv4Gateway     = Entry{"DependencyViolation.Ipv4Gateway", 400, "The VPC still has an IPv4 gateway."}
	GatewayRouteTableInUse       = Entry{"DependencyViolation.Ipv4Gateway", 400, "You cannot delete the specified route table because it is associated with an IPv4 gateway."}
)

// Flow log errors [choice]: the flow log references list no codes for
// these cases.
var (
	FlowLogNotFound        = Entry{"InvalidFlowLogId.NotFound", 404, "The specified FlowLogId does not exist."}
	IncorrectFlowLogStatus = Entry{"IncorrectStatus.FlowLog", 400, "The status of the flow log does not support this operation."}
	FlowLogServiceNotOpen  = Entry{"OperationFailed.FlowLogServiceNotOpened", 400, "The flow log service is not opened; call OpenFlowLogService first."}
	FlowLogResourceMissing = Entry{"InvalidResourceId.NotFound", 404, "The specified ResourceId is not found."}
	FlowLogDuplicated      = Entry{"OperationFailed.FlowLogExists", 400, "A flow log of the same traffic type already captures the specified resource."}
)

// Prefix list errors [choice]: the prefix list references list no codes
// for these cases.
var (
	PrefixListNotFound        = Entry{"InvalidPrefixListId.NotFound", 404, "The specified PrefixListId does not exist."}
	InvalidPrefixListCidr     = Entry{"IllegalParam.PrefixListEntryCidr", 400, "The specified prefix list entry CIDR block is not valid."}
	PrefixListEntryDuplicated = Entry{"DuplicatedParam.PrefixListEntryCidr", 400, "The specified CIDR block is already in the prefix list."}
	PrefixListEntryNotFound   = Entry{"ResourceNotFound.PrefixListEntryCidr", 400, "The specified CIDR block is not in the prefix list."}
	PrefixListEntriesExceeded = Entry{"QuotaExceeded.PrefixListEntries", 400, "The prefix list has more entries than its MaxEntries."}
)

// IPv6 gateway errors [choice]: the IPv6 gateway references list no codes
// for these cases.
var (
	Ipv6GatewayNotFound        = Entry{"InvalidIpv6GatewayId.NotFound", 404, "The specified Ipv6GatewayId does not exist."}
	Ipv6GatewayExists          = Entry{"ResourceAlreadyExist.Ipv6Gateway", 400, "The specified VPC already has an IPv6 gateway."}
	IncorrectIpv6GatewayStatus = Entry{"IncorrectStatus.Ipv6Gateway", 400, "The status of the IPv6 gateway does not support this operation."}
	VpcDependencyIpv6Gateway   = Entry{"DependencyViolation.Ipv6Gateway", 400, "The VPC still has an IPv6 gateway."}
)

// Contiguous EIP group errors: an EIP of a group goes with its group
// (ReleaseEipSegmentAddress) [choice].
var (
	EIPInSegment       = Entry{"IncorrectEipStatus", 400, "Current elastic IP status does not support this operation: the EIP is in a contiguous EIP group."}
	EipSegmentNotFound = Entry{"InvalidSegmentInstanceId.NotFound", 404, "The specified SegmentInstanceId does not exist."}
	EipSegmentNoRoom   = Entry{"QuotaExceeded.EipSegment", 400, "No contiguous block of the requested size is free in the EIP address pool."}
)

// Public IP address pool errors [choice]: the pool references list no
// codes for these cases.
var (
	IPPoolNotFound        = Entry{"ResourceNotFound.PublicIpAddressPool", 404, "The specified PublicIpAddressPoolId does not exist."}
	IPPoolServiceNotOpen  = Entry{"OperationFailed.PublicIpAddressPoolServiceNotOpened", 400, "The public IP address pool service is not opened; call OpenPublicIpAddressPoolService first."}
	InvalidPoolCidr       = Entry{"IllegalParam.CidrBlock", 400, "The specified CidrBlock is not valid."}
	PoolCidrConflict      = Entry{"OperationFailed.CidrBlockConflict", 400, "The specified CidrBlock overlaps an address block already in use."}
	PoolCidrNotFound      = Entry{"ResourceNotFound.CidrBlock", 404, "The specified CidrBlock is not in the public IP address pool."}
	PoolIPInUse           = Entry{"OperationDenied.IpAddressInUse", 400, "EIPs drawn from the public IP address pool or block are still allocated."}
	PoolIPNotEnough       = Entry{"ResourceNotEnough.PublicIpAddressPool", 400, "The public IP address pool has no free address."}
	PoolCidrMaskNotEnough = Entry{"ResourceNotEnough.CidrBlock", 400, "No free block of the requested mask is left."}
)

// Traffic mirror errors [choice]: the traffic mirror references list no
// codes for these cases.
var (
	MirrorServiceNotOpen       = Entry{"OperationFailed.TrafficMirrorServiceNotOpened", 400, "The traffic mirror service is not opened; call OpenTrafficMirrorService first."}
	MirrorFilterNotFound       = Entry{"ResourceNotFound.TrafficMirrorFilter", 404, "The specified TrafficMirrorFilterId does not exist."}
	MirrorRuleNotFound         = Entry{"ResourceNotFound.TrafficMirrorFilterRule", 404, "The specified TrafficMirrorFilterRuleId does not exist."}
	MirrorSessionNotFound      = Entry{"ResourceNotFound.TrafficMirrorSession", 404, "The specified TrafficMirrorSessionId does not exist."}
	MirrorRulePriorityConflict = Entry{"DuplicatedParam.Priority", 400, "Two rules of the same direction have the same priority."}
	MirrorRuleQuota            = Entry{"QuotaExceeded.TrafficMirrorFilterRule", 400, "A filter takes at most 10 rules in each direction."}
	MirrorFilterInUse          = Entry{"DependencyViolation.TrafficMirrorSession", 400, "The filter is used by a traffic mirror session."}
	MirrorSourceNotFound       = Entry{"ResourceNotFound.TrafficMirrorSource", 404, "The specified TrafficMirrorSourceIds does not exist."}
	MirrorTargetNotFound       = Entry{"ResourceNotFound.TrafficMirrorTarget", 404, "The specified TrafficMirrorTargetId does not exist."}
	MirrorSourceDuplicated     = Entry{"OperationFailed.SourceAlreadyInSession", 400, "The source is already in a traffic mirror session."}
	MirrorSourceNotInSession   = Entry{"ResourceNotFound.SourceInSession", 400, "The source is not in the traffic mirror session."}
)

// Dedicated host errors: the error tables of the AllocateDedicatedHosts,
// ReleaseDedicatedHost, RunInstances and dedicated host cluster references;
// [choice] marks those they leave open.
var (
	DedicatedHostNotFound       = Entry{"InvalidDedicatedHostId.NotFound", 404, "The specified DedicatedHostId does not exist."}
	DedicatedHostNotFoundLaunch = Entry{"InvalidDedicatedHostId.NotFound", 400, "The specified DedicatedHostId does not exist."}
	// DedicatedHostTypeNotFound: a DedicatedHostType outside the catalogue [choice].
	DedicatedHostTypeNotFound        = Entry{"InvalidDedicatedHostType.NotFound", 404, "The specified DedicatedHostType does not exist."}
	DedicatedHostTypeUnmatched       = Entry{"DedicatedHostType.Unmatched", 400, "The specified DedicatedHostType doesn't match the instance type."}
	DedicatedHostStatusNotSupport    = Entry{"InvalidDedicatedHostStatus.NotSupport", 400, "Operation denied due to dedicated host status."}
	NoAvailableDedicatedHost         = Entry{"NoAvaliableDedicatedHost", 400, "No available dedicated host or not enough resource on dedicated host."}
	DedicatedHostInstanceExist       = Entry{"InstanceExist", 403, "Instance exists on the dedicated host."}
	DedicatedHostChargeTypeViolation = Entry{"ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the dedicated host."}
	DedicatedHostZoneMismatch        = Entry{"ResourcesNotInSameZone", 403, "The specified instance and dedicated host are not in the same zone."}
	PrePaidOnPostPaidDedicatedHost   = Entry{"ChargeTypeViolation.PostPaidDedicatedHost", 400, "Prepaid instance onto postpaid dedicated host is not allowed."}
	IncorrectHostStatus              = Entry{"IncorrectHostStatus", 403, "The current status of the dedicated host does not support this operation."}
	DedicatedHostCPURatio            = Entry{"InvalidCpuOverCommitRatio.ValueNotSupported", 400, "The specified DedicatedHostType does not support CpuOverCommitRatio %s."}
	DedicatedHostClusterNotFound     = Entry{"InvalidDedicatedHostClusterId.NotFound", 404, "The specified DedicatedHostClusterId does not exist."}
	// DedicatedHostClusterZone: a host and its cluster in different zones [choice].
	DedicatedHostClusterZone = Entry{"InvalidDedicatedHostClusterId.InValid", 400, "The specified Dedicated Host Cluster is invalid."}
	// DedicatedHostClusterHasHosts: DeleteDedicatedHostCluster of a cluster with hosts [choice].
	DedicatedHostClusterHasHosts    = Entry{"OperationDenied.DedicatedHostClusterNotEmpty", 403, "The dedicated host cluster still holds dedicated hosts."}
	DedicatedHostAutoReleasePrePaid = Entry{"ChargeTypeViolation", 400, "The operation is not permitted due to charge type of the dedicated host."}
)

// Private pool (capacity reservation, elasticity assurance) errors: the
// RunInstances and CreateCapacityReservation references; [choice] marks those
// they leave open.
var (
	CapacityReservationNotFound = Entry{"InvalidCapacityReservationId.NotFound", 404, "The specified CapacityReservationId does not exist."}
	PrivatePoolNotFound         = Entry{"Invalid.PrivatePoolOptions.Id", 400, "The PrivatePool does not exist."}
	PrivatePoolIDMissing        = Entry{"MissingParameter.PrivatePoolOptions.Id", 400, "The specified PrivatePoolOptions.Id should not be null."}
	PrivatePoolTypeMismatch     = Entry{"Invalid.InstanceType", 400, "The InstanceType does not match the PrivatePool."}
	PrivatePoolZoneMismatch     = Entry{"Invalid.ZoneId", 400, "The ZoneId does not match the PrivatePool."}
	PrivatePoolNoStock          = Entry{"Invalid.PrivatePoolOptions.NoStock", 400, "The PrivatePool has been used up."}
	PrivatePoolInactive         = Entry{"Invalid.PrivatePoolOptions.status", 400, "The PrivatePool is expired or inactive."}
	PrivatePoolDedicatedHost    = Entry{"DedicatedHostNotSupported", 400, "DedicatedHost is not supported for PrivatePool."}
	PrivatePoolSpot             = Entry{"SpotNotSupported", 400, "Spot is not supported for PrivatePool."}
	// CapacityReservationShrink: ModifyCapacityReservation below the instances it holds [choice].
	CapacityReservationShrink   = Entry{"InvalidParameter.InstanceAmount", 400, "The specified InstanceAmount is less than the used amount of the private pool."}
	ElasticityAssuranceNotFound = Entry{"InvalidElasticityAssuranceId.NotFound", 404, "The specified ElasticityAssuranceId does not exist."}
)

// Cloud Assistant activation errors: the DeleteActivation reference;
// [choice] marks those it leaves open, and the registration refusals
// (answered by the admin API, which stands in for the agent's call).
var (
	ActivationInUse = Entry{"ActivationId.InUse", 403, "The specified activation id is in use."}
	// ActivationNotFound: an unknown ActivationId [choice].
	ActivationNotFound      = Entry{"InvalidActivationId.NotFound", 404, "The specified ActivationId does not exist."}
	ActivationCodeInvalid   = Entry{"InvalidActivationCode", 403, "The activation code does not match the activation."}
	ActivationUnusable      = Entry{"ActivationCode.Unusable", 403, "The activation code is disabled or expired."}
	ActivationExhausted     = Entry{"ActivationCode.CountLimitExceeded", 403, "The activation code has registered its InstanceCount instances."}
	ActivationIPNotAllowed  = Entry{"ActivationCode.IpNotAllowed", 403, "The server's IP address is outside the activation's IpAddressRange."}
	ManagedInstanceNotFound = Entry{"InvalidInstanceId.NotFound", 404, "The specified InstanceId does not exist."}
)

// PlanWindowNotFound: an unknown PlanWindowId [choice].
var PlanWindowNotFound = Entry{"InvalidPlanWindowId.NotFound", 404, "The specified PlanWindowId does not exist."}

// ElasticityAssuranceNotPrepared: PurchaseElasticityAssurance of an assurance not Prepared [choice].
var ElasticityAssuranceNotPrepared = Entry{"IncorrectStatus.ElasticityAssurance", 403, "The elasticity assurance is not in the Prepared state."}
