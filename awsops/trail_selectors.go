package awsops

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// managementCoverage says which management events a trail's selectors
// record: ManagementAll, ManagementWriteOnly, ManagementReadOnly or
// ManagementNone. A trail with no custom selectors records all management
// events (CloudTrail's default selector).
func managementCoverage(basic []cttypes.EventSelector, advanced []cttypes.AdvancedEventSelector, custom bool) string {
	if len(basic) == 0 && len(advanced) == 0 {
		if custom {
			return ManagementNone
		}
		return ManagementAll
	}
	read, write := false, false
	for _, s := range basic {
		if s.IncludeManagementEvents != nil && !*s.IncludeManagementEvents {
			continue // the default is true
		}
		switch s.ReadWriteType {
		case cttypes.ReadWriteTypeReadOnly:
			read = true
		case cttypes.ReadWriteTypeWriteOnly:
			write = true
		default: // All, or not set (the default is All)
			read, write = true, true
		}
	}
	for _, s := range advanced {
		r, w := advancedManagement(s.FieldSelectors)
		read, write = read || r, write || w
	}
	switch {
	case read && write:
		return ManagementAll
	case write:
		return ManagementWriteOnly
	case read:
		return ManagementReadOnly
	}
	return ManagementNone
}

// advancedManagement reads one advanced selector: it records management
// events when eventCategory equals Management; a readOnly field limits it
// to reads ("true") or writes ("false").
func advancedManagement(fields []cttypes.AdvancedFieldSelector) (read, write bool) {
	management := false
	read, write = true, true
	for _, f := range fields {
		switch aws.ToString(f.Field) {
		case "eventCategory":
			management = slices.Contains(f.Equals, "Management")
		case "readOnly":
			switch {
			case slices.Contains(f.Equals, "true"):
				write = false
			case slices.Contains(f.Equals, "false"):
				read = false
			}
		}
	}
	if !management {
		return false, false
	}
	return read, write
}
