// go.mod parsing for the gomod example, with golang.org/x/mod/modfile (the parser the go command uses).
package main

import (
	"fmt"

	"golang.org/x/mod/modfile"
)

const maxGoMod = 1 << 20

type goMod struct {
	module, goVersion, toolchain string
	require                      [][3]string // path, version, "indirect" or ""
	replace                      [][4]string
	exclude                      [][2]string
	retract                      [][3]string
}

func parseGoMod(text string) (goMod, error) {
	if len(text) > maxGoMod {
		return goMod{}, fmt.Errorf("go.mod text is %d bytes; the limit is %d", len(text), maxGoMod)
	}
	f, err := modfile.Parse("go.mod", []byte(text), nil)
	if err != nil {
		return goMod{}, err
	}
	out := goMod{require: [][3]string{}, replace: [][4]string{}, exclude: [][2]string{}, retract: [][3]string{}}
	if f.Module != nil {
		out.module = f.Module.Mod.Path
	}
	if f.Go != nil {
		out.goVersion = f.Go.Version
	}
	if f.Toolchain != nil {
		out.toolchain = f.Toolchain.Name
	}
	for _, r := range f.Require {
		ind := ""
		if r.Indirect {
			ind = "indirect"
		}
		out.require = append(out.require, [3]string{r.Mod.Path, r.Mod.Version, ind})
	}
	for _, r := range f.Replace {
		out.replace = append(out.replace, [4]string{r.Old.Path, r.Old.Version, r.New.Path, r.New.Version})
	}
	for _, e := range f.Exclude {
		out.exclude = append(out.exclude, [2]string{e.Mod.Path, e.Mod.Version})
	}
	for _, r := range f.Retract {
		out.retract = append(out.retract, [3]string{r.Low, r.High, r.Rationale})
	}
	return out, nil
}
