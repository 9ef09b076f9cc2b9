package awsops

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// EventSelectors are a trail's event selectors as plain data: basic or
// advanced (a trail has one kind or the other).
type EventSelectors struct {
	Basic    []BasicSelector    `json:"basic,omitempty"`
	Advanced []AdvancedSelector `json:"advanced,omitempty"`
	// Custom: the trail has custom selectors (HasCustomEventSelectors); a
	// trail without any records all management events.
	Custom bool `json:"custom,omitempty"`
}

// BasicSelector is one basic event selector.
type BasicSelector struct {
	ReadWriteType string `json:"read_write_type,omitempty"` // All, ReadOnly, WriteOnly ("" is All)
	// IncludeManagementEvents is nil when not set (AWS's default is true).
	IncludeManagementEvents       *bool          `json:"include_management_events,omitempty"`
	DataResources                 []DataResource `json:"data_resources,omitempty"`
	ExcludeManagementEventSources []string       `json:"exclude_management_event_sources,omitempty"`
}

// DataResource is a basic selector's data event resource.
type DataResource struct {
	Type   string   `json:"type"`
	Values []string `json:"values,omitempty"`
}

// AdvancedSelector is one advanced event selector.
type AdvancedSelector struct {
	Name   string          `json:"name,omitempty"`
	Fields []FieldSelector `json:"fields"`
}

// FieldSelector is one condition of an advanced selector.
type FieldSelector struct {
	Field         string   `json:"field"`
	Equals        []string `json:"equals,omitempty"`
	NotEquals     []string `json:"not_equals,omitempty"`
	StartsWith    []string `json:"starts_with,omitempty"`
	NotStartsWith []string `json:"not_starts_with,omitempty"`
	EndsWith      []string `json:"ends_with,omitempty"`
	NotEndsWith   []string `json:"not_ends_with,omitempty"`
}

// ManagementSelector is the basic selector that records every management
// event, reads and writes (CloudTrail's default).
func ManagementSelector() BasicSelector {
	return BasicSelector{ReadWriteType: "All", IncludeManagementEvents: aws.Bool(true)}
}

// ManagementAdvancedSelector is the advanced selector that records every
// management event, reads and writes.
func ManagementAdvancedSelector() AdvancedSelector {
	return AdvancedSelector{Name: "Management events (rootguard)",
		Fields: []FieldSelector{{Field: "eventCategory", Equals: []string{"Management"}}}}
}

// Management says which management events the selectors record:
// ManagementAll, ManagementWriteOnly, ManagementReadOnly or ManagementNone.
func (s EventSelectors) Management() string {
	if len(s.Basic) == 0 && len(s.Advanced) == 0 {
		if s.Custom {
			return ManagementNone
		}
		return ManagementAll
	}
	read, write := false, false
	for _, b := range s.Basic {
		if b.IncludeManagementEvents != nil && !*b.IncludeManagementEvents {
			continue // the default is true
		}
		switch b.ReadWriteType {
		case string(cttypes.ReadWriteTypeReadOnly):
			read = true
		case string(cttypes.ReadWriteTypeWriteOnly):
			write = true
		default: // All, or not set (the default is All)
			read, write = true, true
		}
	}
	for _, a := range s.Advanced {
		r, w := advancedManagement(a.Fields)
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

// managementCoverage reads SDK selectors (see EventSelectors.Management).
func managementCoverage(basic []cttypes.EventSelector, advanced []cttypes.AdvancedEventSelector, custom bool) string {
	return selectorsFromSDK(basic, advanced, custom).Management()
}

// advancedManagement reads one advanced selector: it records management
// events when eventCategory equals Management; a readOnly field limits it
// to reads ("true") or writes ("false").
func advancedManagement(fields []FieldSelector) (read, write bool) {
	management := false
	read, write = true, true
	for _, f := range fields {
		switch f.Field {
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

func selectorsFromSDK(basic []cttypes.EventSelector, advanced []cttypes.AdvancedEventSelector, custom bool) EventSelectors {
	out := EventSelectors{Custom: custom}
	for _, b := range basic {
		s := BasicSelector{ReadWriteType: string(b.ReadWriteType), ExcludeManagementEventSources: b.ExcludeManagementEventSources}
		if b.IncludeManagementEvents != nil {
			s.IncludeManagementEvents = aws.Bool(*b.IncludeManagementEvents)
		}
		for _, d := range b.DataResources {
			s.DataResources = append(s.DataResources, DataResource{Type: aws.ToString(d.Type), Values: d.Values})
		}
		out.Basic = append(out.Basic, s)
	}
	for _, a := range advanced {
		s := AdvancedSelector{Name: aws.ToString(a.Name)}
		for _, f := range a.FieldSelectors {
			s.Fields = append(s.Fields, FieldSelector{Field: aws.ToString(f.Field), Equals: f.Equals, NotEquals: f.NotEquals,
				StartsWith: f.StartsWith, NotStartsWith: f.NotStartsWith, EndsWith: f.EndsWith, NotEndsWith: f.NotEndsWith})
		}
		out.Advanced = append(out.Advanced, s)
	}
	return out
}

func selectorsToSDK(s EventSelectors) ([]cttypes.EventSelector, []cttypes.AdvancedEventSelector) {
	var basic []cttypes.EventSelector
	var advanced []cttypes.AdvancedEventSelector
	for _, b := range s.Basic {
		e := cttypes.EventSelector{ReadWriteType: cttypes.ReadWriteType(b.ReadWriteType),
			IncludeManagementEvents: b.IncludeManagementEvents, ExcludeManagementEventSources: b.ExcludeManagementEventSources}
		for _, d := range b.DataResources {
			e.DataResources = append(e.DataResources, cttypes.DataResource{Type: aws.String(d.Type), Values: d.Values})
		}
		basic = append(basic, e)
	}
	for _, a := range s.Advanced {
		e := cttypes.AdvancedEventSelector{}
		if a.Name != "" {
			e.Name = aws.String(a.Name)
		}
		for _, f := range a.Fields {
			e.FieldSelectors = append(e.FieldSelectors, cttypes.AdvancedFieldSelector{Field: aws.String(f.Field), Equals: f.Equals,
				NotEquals: f.NotEquals, StartsWith: f.StartsWith, NotStartsWith: f.NotStartsWith, EndsWith: f.EndsWith, NotEndsWith: f.NotEndsWith})
		}
		advanced = append(advanced, e)
	}
	return basic, advanced
}
