//go:build wasip1

// The component model's canonical ABI by hand, for the few shapes the gomod WIT uses: strings and lists are
// (pointer, length) pairs in linear memory, results travel in a return area the callee owns.
package main

import (
	"encoding/binary"
	"unsafe"
)

// Argument buffers the host asked for through cabi_realloc; released once the call has copied its arguments.
var argBufs [][]uint64

// Result memory of the last call; the host has lifted it by the time the next call starts.
var kept []any

//go:wasmexport cabi_realloc
func cabiRealloc(old, oldSize, align, newSize uint32) uint32 {
	if newSize == 0 {
		return align
	}
	// []uint64 keeps every buffer 8-byte aligned, the largest alignment the ABI asks for.
	buf := make([]uint64, (newSize+7)/8)
	argBufs = append(argBufs, buf)
	p := unsafe.Pointer(unsafe.SliceData(buf))
	if old != 0 && oldSize > 0 {
		copy(unsafe.Slice((*byte)(p), newSize), unsafe.Slice((*byte)(unsafe.Pointer(uintptr(old))), min(oldSize, newSize)))
	}
	return uint32(uintptr(p))
}

// beginCall drops the previous call's result memory.
func beginCall() { kept = nil }

// endCall drops this call's argument buffers (their contents were copied into Go strings).
func endCall() { argBufs = nil }

// readString copies a guest string out of linear memory.
func readString(ptr, n uint32) string {
	if n == 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(unsafe.Pointer(uintptr(ptr))), n))
}

// readStrings copies a list<string> (n consecutive (ptr, len) pairs).
func readStrings(ptr, n uint32) []string {
	out := make([]string, n)
	for i := uint32(0); i < n; i++ {
		pair := unsafe.Slice((*byte)(unsafe.Pointer(uintptr(ptr+8*i))), 8)
		out[i] = readString(binary.LittleEndian.Uint32(pair), binary.LittleEndian.Uint32(pair[4:]))
	}
	return out
}

// area is a block of result memory that stays alive until the next call.
type area struct {
	addr uint32
	b    []byte
}

func alloc(size int) area {
	if size == 0 {
		return area{addr: 8}
	}
	buf := make([]uint64, (size+7)/8)
	kept = append(kept, buf)
	p := unsafe.Pointer(unsafe.SliceData(buf))
	return area{addr: uint32(uintptr(p)), b: unsafe.Slice((*byte)(p), size)}
}

func (a area) u8(off int, v uint8)   { a.b[off] = v }
func (a area) u32(off int, v uint32) { binary.LittleEndian.PutUint32(a.b[off:], v) }
func (a area) u64(off int, v uint64) { binary.LittleEndian.PutUint64(a.b[off:], v) }

// str stores a string as (ptr, len) at off.
func (a area) str(off int, s string) {
	if s == "" {
		a.u32(off, 1)
		a.u32(off+4, 0)
		return
	}
	b := []byte(s)
	kept = append(kept, b)
	a.u32(off, uint32(uintptr(unsafe.Pointer(unsafe.SliceData(b)))))
	a.u32(off+4, uint32(len(b)))
}

// list stores a list of n elements of elemSize bytes as (ptr, len) at off and returns the element block.
func (a area) list(off, n, elemSize int) area {
	items := alloc(n * elemSize)
	a.u32(off, items.addr)
	a.u32(off+4, uint32(n))
	return items
}

func (a area) strings(off int, list []string) {
	items := a.list(off, len(list), 8)
	for i, s := range list {
		items.str(8*i, s)
	}
}

// errResult fills a result<_, string> return area whose payload starts at payloadOff.
func errResult(payloadOff int, err error) uint32 {
	r := alloc(payloadOff + 8)
	r.u8(0, 1)
	r.str(payloadOff, err.Error())
	return r.addr
}
