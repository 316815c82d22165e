package awsx

import "sort"

// knownRegions are the regions of every AWS partition, as the SDK's partition
// data (internal/endpoints/awsrulesfn/partitions.json) lists them. A region
// outside this list is a typo far more often than a region newer than this
// build, and a typo must be a one-line error (exit 2), not a DNS failure.
var knownRegions = map[string]bool{
	"af-south-1": true, "ap-east-1": true, "ap-east-2": true,
	"ap-northeast-1": true, "ap-northeast-2": true, "ap-northeast-3": true,
	"ap-south-1": true, "ap-south-2": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true,
	"ap-southeast-4": true, "ap-southeast-5": true, "ap-southeast-6": true, "ap-southeast-7": true,
	"ca-central-1": true, "ca-west-1": true,
	"eu-central-1": true, "eu-central-2": true, "eu-north-1": true,
	"eu-south-1": true, "eu-south-2": true,
	"eu-west-1": true, "eu-west-2": true, "eu-west-3": true,
	"il-central-1": true, "me-central-1": true, "me-south-1": true, "mx-central-1": true,
	"sa-east-1": true, "us-east-1": true, "us-east-2": true, "us-west-1": true, "us-west-2": true,
	"cn-north-1": true, "cn-northwest-1": true,
	"eusc-de-east-1": true,
	"us-iso-east-1":  true, "us-iso-west-1": true,
	"us-isob-east-1": true, "us-isob-west-1": true,
	"eu-isoe-west-1": true,
	"us-isof-east-1": true, "us-isof-south-1": true,
	"us-gov-east-1": true, "us-gov-west-1": true,
}

// KnownRegion reports whether region is a region AWS has.
func KnownRegion(region string) bool { return knownRegions[region] }

// KnownRegions lists the regions in order, for completion and messages.
func KnownRegions() []string {
	out := make([]string, 0, len(knownRegions))
	for r := range knownRegions {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
