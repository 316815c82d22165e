package kb

import (
	"regexp"
	"strings"
)

// The extractors below pull catalogue qualifiers out of collapsed texts.
// Each tries the wordings AWS and common runtimes use, most precise first,
// and returns "" when the text does not carry the value.

var imageREs = []*regexp.Regexp{
	rx(`failed to resolve (?:ref|reference) "?([^\s"]+?)"?(?:: |\s|$)`),
	rx(`manifest for ([^\s"]+) not found`),
	rx(`pull access denied for ([^\s,"]+)`),
	rx(`cannot pull '([^']+)'`),
	rx(`(?:pull|pulling) image "?([a-z0-9][^\s"']*[:@][^\s"']+?)"?(?:: |\s|$)`),
	rx(`repository ([^\s'"]+) not found`),
	rx(`repository with name '([^']+)' does not exist`),
	rx(`arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d+:repository/([^\s"',]+)`),
}

func extractImage(text string) string {
	for _, re := range imageREs {
		if m := re.FindStringSubmatch(text); m != nil {
			if v := trimValue(m[1]); v != "" {
				return v
			}
		}
	}
	return ""
}

func imageAttrs(text string) map[string]string {
	return map[string]string{"image": extractImage(text)}
}

var actionRE = rx(`not authorized to perform:? ([a-z0-9-]+:[a-z0-9*]+)`)

func extractAction(text string) string {
	if m := actionRE.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

func actionAttrs(text string) map[string]string {
	return map[string]string{"action": extractAction(text)}
}

func imageActionAttrs(text string) map[string]string {
	return map[string]string{"image": extractImage(text), "action": extractAction(text)}
}

var subnetRE = rx(`\b(subnet-[0-9a-f]+)\b`)

func subnetAttrs(text string) map[string]string {
	if m := subnetRE.FindStringSubmatch(text); m != nil {
		return map[string]string{"subnet": m[1]}
	}
	return nil
}

// Target groups appear as "(target-group arn:...:targetgroup/name/id)" in
// stop reasons and events, or as a bare name in some event wordings.
var targetGroupRE = rx(`\(target-group ([^\s)]+)\)?`)

func targetGroupAttrs(text string) map[string]string {
	if m := targetGroupRE.FindStringSubmatch(text); m != nil {
		return map[string]string{"targetGroup": trimValue(m[1])}
	}
	return nil
}

// firstGroup returns a function giving attr key the first capture of the
// first regex that matches.
func firstGroup(key string, res ...*regexp.Regexp) func(string) map[string]string {
	return func(text string) map[string]string {
		for _, re := range res {
			if m := re.FindStringSubmatch(text); m != nil {
				if v := trimValue(m[1]); v != "" {
					return map[string]string{key: v}
				}
			}
		}
		return nil
	}
}

// trimValue strips the punctuation that wraps values in prose
// ("ref 'x:v1'.", "host \"db\",").
func trimValue(s string) string {
	return strings.Trim(s, `'"().,;[]`)
}
