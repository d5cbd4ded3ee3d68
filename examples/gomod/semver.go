// Semantic-version logic for the gomod example: parsing, ordering and constraints on top of golang.org/x/mod/semver.
package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/semver"
)

type version struct {
	canonical           string
	major, minor, patch uint64
	prerelease, build   []string
}

// normalize adds the `v` Go's semver package requires and rejects what it does not accept.
func normalize(s string) (string, error) {
	t := strings.TrimSpace(s)
	if t != "" && t[0] != 'v' {
		t = "v" + t
	}
	if !semver.IsValid(t) {
		return "", fmt.Errorf("%q is not a semantic version (expected e.g. v1.2.3 or 1.2.3-rc.1)", s)
	}
	return t, nil
}

func parseVersion(s string) (version, error) {
	v, err := normalize(s)
	if err != nil {
		return version{}, err
	}
	c := semver.Canonical(v)
	core := strings.TrimPrefix(c, "v")
	if i := strings.IndexByte(core, '-'); i >= 0 {
		core = core[:i]
	}
	parts := strings.SplitN(core, ".", 3)
	out := version{canonical: c, prerelease: idents(semver.Prerelease(v), "-"), build: idents(semver.Build(v), "+")}
	nums := []*uint64{&out.major, &out.minor, &out.patch}
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return version{}, fmt.Errorf("%q: version number %q is too large", s, p)
		}
		*nums[i] = n
	}
	return out, nil
}

func idents(s, prefix string) []string {
	s = strings.TrimPrefix(s, prefix)
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ".")
}

func compareVersions(a, b string) (int, error) {
	va, err := normalize(a)
	if err != nil {
		return 0, err
	}
	vb, err := normalize(b)
	if err != nil {
		return 0, err
	}
	return semver.Compare(va, vb), nil
}

const maxVersions = 10000

func sortVersions(list []string) ([]string, error) {
	if len(list) > maxVersions {
		return nil, fmt.Errorf("%d versions given; the limit is %d", len(list), maxVersions)
	}
	norm := make([]string, len(list))
	for i, s := range list {
		v, err := normalize(s)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %v", i, err)
		}
		norm[i] = v
	}
	idx := make([]int, len(list))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return semver.Compare(norm[idx[i]], norm[idx[j]]) < 0 })
	out := make([]string, len(list))
	for i, k := range idx {
		out[i] = list[k]
	}
	return out, nil
}

const maxConstraint = 4096

// satisfies checks `version` against alternatives (`||`) of comparator lists (spaces or commas, all must hold).
func satisfies(v, constraint string) (bool, error) {
	if len(constraint) > maxConstraint {
		return false, fmt.Errorf("constraint is %d bytes long; the limit is %d", len(constraint), maxConstraint)
	}
	nv, err := normalize(v)
	if err != nil {
		return false, err
	}
	any := false
	for _, alt := range strings.Split(constraint, "||") {
		fields := strings.FieldsFunc(alt, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
		if len(fields) == 0 {
			return false, fmt.Errorf("constraint %q has an empty alternative", constraint)
		}
		all := true
		for i := 0; i < len(fields); i++ {
			f := fields[i]
			// Allow a space between the operator and its version: `>= 1.2.0`.
			if isOperator(f) && i+1 < len(fields) {
				f += fields[i+1]
				i++
			}
			ok, err := comparator(nv, f)
			if err != nil {
				return false, err
			}
			all = all && ok
		}
		any = any || all
	}
	return any, nil
}

func isOperator(s string) bool {
	switch s {
	case "=", "==", "!=", ">", ">=", "<", "<=", "^", "~":
		return true
	}
	return false
}

// comparator evaluates one comparator such as `>=1.2`, `^0.4.1`, `~1.21` or `1.2.x` against a normalized version.
func comparator(v, c string) (bool, error) {
	op := ""
	for _, o := range []string{">=", "<=", "!=", "==", ">", "<", "=", "^", "~"} {
		if strings.HasPrefix(c, o) {
			op = o
			break
		}
	}
	rest := strings.TrimPrefix(c, op)
	lo, hi, exact, err := bounds(rest)
	if err != nil {
		return false, fmt.Errorf("comparator %q: %v", c, err)
	}
	cmp := func(x string) int { return semver.Compare(v, x) }
	switch op {
	case "", "=", "==":
		if exact {
			return cmp(lo) == 0, nil
		}
		return inRange(v, lo, hi), nil
	case "!=":
		if exact {
			return cmp(lo) != 0, nil
		}
		return !inRange(v, lo, hi), nil
	case ">":
		if exact || hi == "" {
			return cmp(lo) > 0, nil
		}
		return cmp(hi) >= 0, nil
	case ">=":
		return cmp(lo) >= 0, nil
	case "<":
		return cmp(lo) < 0, nil
	case "<=":
		if exact || hi == "" {
			return cmp(lo) <= 0, nil
		}
		return cmp(hi) < 0, nil
	case "^":
		return cmp(lo) >= 0 && cmp(caretUpper(lo)) < 0, nil
	case "~":
		p, _ := parseVersion(lo)
		return cmp(lo) >= 0 && cmp(fmt.Sprintf("v%d.%d.0-0", p.major, p.minor+1)) < 0, nil
	}
	return false, fmt.Errorf("unknown operator in %q", c)
}

// bounds reads a possibly partial version (`1`, `1.2`, `1.2.x`, `*`): the lowest version it covers, the first
// version above it (empty for `*`), and whether it names one exact version.
func bounds(s string) (lo, hi string, exact bool, err error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if s == "" {
		return "", "", false, fmt.Errorf("missing version")
	}
	if s == "*" || s == "x" || s == "X" {
		return "v0.0.0-0", "", false, nil
	}
	core, suffix := s, ""
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		core, suffix = s[:i], s[i:]
	}
	parts := strings.Split(core, ".")
	if len(parts) > 3 {
		return "", "", false, fmt.Errorf("%q has more than three numbers", s)
	}
	nums := []uint64{}
	for _, p := range parts {
		if p == "x" || p == "X" || p == "*" {
			break
		}
		n, perr := strconv.ParseUint(p, 10, 64)
		if perr != nil {
			return "", "", false, fmt.Errorf("%q is not a version", s)
		}
		nums = append(nums, n)
	}
	if len(nums) < len(parts) && suffix != "" {
		return "", "", false, fmt.Errorf("%q: a wildcard version cannot have a pre-release", s)
	}
	switch len(nums) {
	case 3:
		v, verr := normalize(s)
		if verr != nil {
			return "", "", false, verr
		}
		return v, "", true, nil
	case 2:
		return fmt.Sprintf("v%d.%d.0-0", nums[0], nums[1]), fmt.Sprintf("v%d.%d.0-0", nums[0], nums[1]+1), false, nil
	case 1:
		return fmt.Sprintf("v%d.0.0-0", nums[0]), fmt.Sprintf("v%d.0.0-0", nums[0]+1), false, nil
	}
	return "v0.0.0-0", "", false, nil
}

func inRange(v, lo, hi string) bool {
	return semver.Compare(v, lo) >= 0 && (hi == "" || semver.Compare(v, hi) < 0)
}

// caretUpper is the first version a caret range excludes: the next major, or for 0.x the next minor, or for
// 0.0.x the next patch.
func caretUpper(lo string) string {
	p, _ := parseVersion(lo)
	switch {
	case p.major > 0:
		return fmt.Sprintf("v%d.0.0-0", p.major+1)
	case p.minor > 0:
		return fmt.Sprintf("v0.%d.0-0", p.minor+1)
	default:
		return fmt.Sprintf("v0.0.%d-0", p.patch+1)
	}
}
