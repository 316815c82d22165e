package sim

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// EC2's filters: a resource passes when, for every filter, one of its
// values for the filter's name matches one of the filter's values (which
// may use * and ?). Each resource kind says which names it knows; an
// unknown name is an error, as it is in EC2.

// attrs returns a resource's values for a filter name, and whether the
// resource kind knows that name at all.
type attrs func(name string) (values []string, known bool)

func matches(filters []ec2types.Filter, get attrs) (bool, error) {
	for _, f := range filters {
		name := aws.ToString(f.Name)
		vals, known := get(name)
		if !known {
			return false, apiError("InvalidParameterValue", "The filter '%s' is invalid", name)
		}
		ok := false
		for _, want := range f.Values {
			for _, v := range vals {
				if wildcard(want, v) {
					ok = true
				}
			}
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// withCommon adds the names every EC2 resource answers: its tags and owner.
func withCommon(get attrs, owner, nameTag string) attrs {
	return func(name string) ([]string, bool) {
		switch {
		case name == "owner-id":
			return []string{owner}, true
		case name == "tag:Name":
			if nameTag == "" {
				return nil, true
			}
			return []string{nameTag}, true
		case name == "tag-key":
			if nameTag == "" {
				return nil, true
			}
			return []string{"Name"}, true
		case strings.HasPrefix(name, "tag:"):
			return nil, true
		}
		return get(name)
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func nameTags(name string) []ec2types.Tag {
	if name == "" {
		return nil
	}
	return []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}
}

// filterList keeps the items that pass the filters and, when ids were
// asked for, only those, failing with notFound for an id that does not
// exist (EC2 fails the whole call then).
func filterList[T any](items []*T, idOf func(*T) string, ids []string, filters []ec2types.Filter, get func(*T) attrs, notFound func(id string) error) ([]*T, error) {
	if len(ids) > 0 {
		have := map[string]bool{}
		for _, it := range items {
			have[idOf(it)] = true
		}
		for _, id := range ids {
			if !have[id] {
				return nil, notFound(id)
			}
		}
	}
	var out []*T
	for _, it := range items {
		if len(ids) > 0 && !contains(ids, idOf(it)) {
			continue
		}
		ok, err := matches(filters, get(it))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, it)
		}
	}
	return out, nil
}
