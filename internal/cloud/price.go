package cloud

import (
	"math"
	"time"
)

// PriceCurrency is the currency of every price ecslocal answers.
const PriceCurrency = "CNY"

// The price table (docs/compute.md, "Prices"): ecslocal bills nothing, but
// DescribePrice, DescribeRenewalPrice, DescribeInstanceModificationPrice and
// RunInstances' TradePrice answer from this one table, so they agree.
const (
	pricePerVCPUHour      = 0.1   // an instance's vCPU, per hour
	pricePerGiBHour       = 0.02  // an instance's memory, per GiB and hour
	pricePerMbpsHour      = 0.063 // PayByBandwidth outbound bandwidth, per Mbit/s and hour
	subscriptionDiscount  = 0.7   // a subscription pays this share of the hourly list price
	hoursPerMonth         = 720
	hoursPerWeek          = 168
	hoursPerYear          = 8760
	basicDiskPerGiBHour   = 0.0003
	defaultDiskPerGiBHour = 0.0005 // cloud_efficiency, and categories without a row
)

// diskPerGiBHour is the hourly list price of one GiB of a disk category;
// an ESSD's follows its performance level.
var diskPerGiBHour = map[string]float64{
	DiskCategoryBasic: basicDiskPerGiBHour, DiskCategoryEfficiency: defaultDiskPerGiBHour, DiskCategorySSD: 0.001,
	DiskCategoryAuto: 0.0012, DiskCategoryESSDEntry: 0.0008,
	DiskCategoryESSD + "/PL0": 0.0007, DiskCategoryESSD + "/PL1": 0.0015, DiskCategoryESSD + "/PL2": 0.003, DiskCategoryESSD + "/PL3": 0.006,
}

// InstanceHourPrice is the hourly list price of an instance type.
func InstanceHourPrice(t InstanceType) float64 {
	return pricePerVCPUHour*float64(t.CPUCoreCount) + pricePerGiBHour*t.MemorySize
}

// DiskHourPrice is the hourly list price of a disk.
func DiskHourPrice(category, level string, sizeGiB int) float64 {
	if category == DiskCategoryESSD {
		category += "/" + cmpOr(level, DefaultPerformanceLevel)
	}
	p, ok := diskPerGiBHour[category]
	if !ok {
		p = defaultDiskPerGiBHour
	}
	return p * float64(sizeGiB)
}

// BandwidthHourPrice is the hourly list price of outbound bandwidth: only
// PayByBandwidth is billed by the hour (PayByTraffic by the GB, which no
// price answers).
func BandwidthHourPrice(chargeType string, mbps int) float64 {
	if chargeType != "PayByBandwidth" {
		return 0
	}
	return pricePerMbpsHour * float64(mbps)
}

// PeriodHours is how many hours a period of unit holds ("Hour", "Week",
// "Month", "Year").
func PeriodHours(period int, unit string) float64 {
	switch unit {
	case "Week":
		return float64(period * hoursPerWeek)
	case "Month":
		return float64(period * hoursPerMonth)
	case "Year":
		return float64(period * hoursPerYear)
	}
	return float64(period)
}

// Priced is a list price over some hours and what is paid for it.
type Priced struct{ Original, Trade float64 }

// PriceFor is the price of hourly over hours: a subscription (subscribed)
// pays subscriptionDiscount of the list price. Prices are rounded to the
// cent.
func PriceFor(hourly, hours float64, subscribed bool) Priced {
	orig := hourly * hours
	trade := orig
	if subscribed {
		trade = orig * subscriptionDiscount
	}
	return Priced{Original: cents(orig), Trade: cents(trade)}
}

// RemainingHours is how many whole hours of a subscription are left at now.
func RemainingHours(i Instance, now time.Time) float64 {
	if i.Expires.IsZero() || !i.Expires.After(now) {
		return 0
	}
	return math.Ceil(i.Expires.Sub(now).Hours())
}

func cents(v float64) float64 { return math.Round(v*100) / 100 }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// spotShare is the share of the hourly list price a spot instance pays in
// ecslocal: a fixed price, the same in every zone at every hour.
const spotShare = 0.2

// SpotHourPrice is the hourly spot price of an instance type.
func SpotHourPrice(t InstanceType) float64 { return cents(InstanceHourPrice(t) * spotShare) }
