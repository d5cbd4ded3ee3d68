//go:build wasip1

// The exported WIT functions: each copies its arguments out of linear memory, runs the logic and lays the result
// out in a return area (offsets follow the canonical ABI's record layout for wasm32).
package main

//go:wasmexport parse-version
func exportParseVersion(ptr, n uint32) uint32 {
	beginCall()
	defer endCall()
	v, err := parseVersion(readString(ptr, n))
	if err != nil {
		return errResult(8, err)
	}
	// result<semver, string>: tag @0, payload @8 (semver aligns to 8):
	// canonical @0, major @8, minor @16, patch @24, prerelease @32, build @40.
	r := alloc(8 + 48)
	r.str(8, v.canonical)
	r.u64(16, v.major)
	r.u64(24, v.minor)
	r.u64(32, v.patch)
	r.strings(40, v.prerelease)
	r.strings(48, v.build)
	return r.addr
}

//go:wasmexport compare-versions
func exportCompareVersions(aPtr, aLen, bPtr, bLen uint32) uint32 {
	beginCall()
	defer endCall()
	c, err := compareVersions(readString(aPtr, aLen), readString(bPtr, bLen))
	if err != nil {
		return errResult(4, err)
	}
	r := alloc(12)
	r.u32(4, uint32(int32(c)))
	return r.addr
}

//go:wasmexport sort-versions
func exportSortVersions(ptr, n uint32) uint32 {
	beginCall()
	defer endCall()
	if n > maxVersions {
		return errResult(4, errTooMany(n))
	}
	sorted, err := sortVersions(readStrings(ptr, n))
	if err != nil {
		return errResult(4, err)
	}
	r := alloc(12)
	r.strings(4, sorted)
	return r.addr
}

//go:wasmexport satisfies
func exportSatisfies(vPtr, vLen, cPtr, cLen uint32) uint32 {
	beginCall()
	defer endCall()
	if cLen > maxConstraint {
		return errResult(4, errTooLong("constraint", cLen, maxConstraint))
	}
	ok, err := satisfies(readString(vPtr, vLen), readString(cPtr, cLen))
	if err != nil {
		return errResult(4, err)
	}
	r := alloc(12)
	if ok {
		r.u8(4, 1)
	}
	return r.addr
}

//go:wasmexport parse-go-mod
func exportParseGoMod(ptr, n uint32) uint32 {
	beginCall()
	defer endCall()
	if n > maxGoMod {
		return errResult(4, errTooLong("go.mod text", n, maxGoMod))
	}
	m, err := parseGoMod(readString(ptr, n))
	if err != nil {
		return errResult(4, err)
	}
	// result<go-mod, string>: tag @0, payload @4: module @0, go @8, toolchain @16,
	// require @24 (20-byte records), replace @32 (32), exclude @40 (16), retract @48 (24).
	r := alloc(4 + 56)
	r.str(4, m.module)
	r.str(12, m.goVersion)
	r.str(20, m.toolchain)
	req := r.list(28, len(m.require), 20)
	for i, q := range m.require {
		req.str(20*i, q[0])
		req.str(20*i+8, q[1])
		if q[2] != "" {
			req.u8(20*i+16, 1)
		}
	}
	rep := r.list(36, len(m.replace), 32)
	for i, q := range m.replace {
		for j, s := range q {
			rep.str(32*i+8*j, s)
		}
	}
	exc := r.list(44, len(m.exclude), 16)
	for i, q := range m.exclude {
		exc.str(16*i, q[0])
		exc.str(16*i+8, q[1])
	}
	ret := r.list(52, len(m.retract), 24)
	for i, q := range m.retract {
		for j, s := range q {
			ret.str(24*i+8*j, s)
		}
	}
	return r.addr
}
