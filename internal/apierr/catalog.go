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
	InvalidInstanceTypeNotFound    = Entry{"InvalidInstanceType.NotFound", 404, "The specified InstanceType does not exist."}
	InvalidInstanceTypeZone        = Entry{"InvalidInstanceType.ValueNotSupported", 403, "The specified InstanceType is not supported in the zone %s."}
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
	InvalidDataDiskCategory        = Entry{"InvalidDataDiskCategory.ValueNotSupported", 400, "The specified parameter DataDisk.n.Category is not valid."}
	InvalidDataDiskSize            = Entry{"InvalidDataDiskSize.ValueNotSupported", 400, "The specified parameter DataDisk.n.Size is not valid."}
	TooManyDataDisks               = Entry{"InvalidDataDiskCount.Exceeded", 400, "The number of data disks exceeds the limit of 16."}
	ChargeTypeInvalidTarget        = Entry{"InvalidInstanceChargeType.ValueNotSupported", 400, "The specified InstanceChargeType is the same as the current one."}
	InvalidInstanceStatusForExpiry = Entry{"InvalidParameter.ExpiredInstance", 403, "The specified instance is expired."}
	InvalidRenewPostPaid           = Entry{"InvalidInstanceChargeType.NotPrePaid", 403, "The specified instance is not a subscription instance."}
)

// VPC and security group errors: spec/semantics.md §5.2–5.3.
var (
	InvalidVpcIDNotFound     = Entry{"InvalidVpcId.NotFound", 404, "Specified VPC does not exist."}
	IncorrectVpcStatus       = Entry{"IncorrectVpcStatus", 400, "The current status of vpc does not support this operation."}
	InvalidCidrBlock         = Entry{"InvalidCidrBlock.Malformed", 400, "Specified CIDR block is not valid."}
	InvalidVSwitchCidr       = Entry{"InvalidCidrBlock.Malformed", 400, "Specified VSwitch CIDR block is not inside the VPC CIDR block."}
	VSwitchCidrOverlap       = Entry{"InvalidCIDRBlock.Overlapped", 400, "Specified CIDR block overlapped with other vswitch."}
	VpcDependency            = Entry{"DependencyViolation", 400, "Specified object has dependent resources: %s."}
	VSwitchDependency        = Entry{"DependencyViolation", 400, "Specified object has dependent resources: %s."}
	SecurityGroupDependency  = Entry{"DependencyViolation", 403, "There is still instance(s) in the specified security group."}
	SecurityGroupVpcRequired = Entry{"InvalidVpcId.NotFound", 404, "Specified VPC does not exist."}
	InvalidVSwitchZone       = Entry{"InvalidZoneId.NotFound", 404, "The specified zone does not exist."}
)

// MissingCommon is the gateway's refusal of a request that lacks a common
// parameter such as AccessKeyId or Timestamp: the code carries the name.
func MissingCommon(name string) *Error {
	return &Error{Code: "Missing" + name, Status: 400, Message: name + " is mandatory for this action."}
}
