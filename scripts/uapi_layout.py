#!/usr/bin/env python3
"""Compare swift-iommufd's pinned UAPI declarations with real kernel headers.

For each checked header pair (ours, the kernel's) this script

  1. lists every struct (with every field, nested ones included), enum
     constant and object-like #define of the kernel header, using clang's AST
     (structs, enums) and the header text (#defines);
  2. lists the same for our declarations;
  3. compiles one small C program against each side that prints sizeof of every
     struct, offset and size of every field, and the value of every constant
     and ioctl request number;
  4. compares the two outputs item by item.

It prints every difference and a summary line with the number of items compared
and the number that differ, and exits non-zero on any difference or on an item
the kernel header has that ours lacks (for the parts we promise to cover).

Used by scripts/check-uapi-layout; standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field


def find_compiler() -> str:
    for candidate in (os.environ.get("CC_FOR_LAYOUT"), "/opt/swift/usr/bin/clang", shutil.which("clang")):
        if candidate and os.path.exists(candidate):
            return candidate
    sys.exit("check-uapi-layout: clang is required (the Swift toolchain's /opt/swift/usr/bin/clang)")


CLANG = find_compiler()
ALLOW_NEWER = False

# Deliberate corruptions of our declarations the check must catch:
# (file, pattern, replacement, an item that must then be reported).
MUTATIONS = [
    ("ciommufd_iommufd.h", r"(struct iommu_hw_info \{\n\t__u32 size;\n\t__u32 flags;\n\t)__u32 dev_id;",
     r"\1__u64 dev_id;", "struct iommu_hw_info.dev_id"),
    ("ciommufd_iommufd.h", r"IOMMU_HWPT_ALLOC_PASID = 1 << 3", "IOMMU_HWPT_ALLOC_PASID = 1 << 4",
     "const IOMMU_HWPT_ALLOC_PASID"),
    ("ciommufd_iommufd.h", r"IOMMUFD_CMD_GET_HW_INFO = 0x8a", "IOMMUFD_CMD_GET_HW_INFO = 0x8b",
     "const IOMMU_GET_HW_INFO"),
    ("ciommufd_iommufd.h", r"\t__u32 fault_id;\n\t__u32 __reserved2;\n", "\t__u32 fault_id;\n",
     "struct iommu_hwpt_alloc.__reserved2"),
    ("ciommufd_vfio.h", r"(struct vfio_device_attach_iommufd_pt \{\n\t__u32 argsz;\n\t__u32 flags;\n)"
     r"\t__u32 pt_id;\n\t__u32 pasid;", r"\1\t__u32 pasid;\n\t__u32 pt_id;",
     "struct vfio_device_attach_iommufd_pt.pt_id"),
]


def self_test(args) -> int:
    """Corrupts a copy of our headers once per mutation and requires the
    check to fail, naming the corrupted item."""
    source = os.path.join(args.repo, "Sources/CIOMMUFD/include")
    failures = 0
    for filename, pattern, replacement, item in MUTATIONS:
        with tempfile.TemporaryDirectory(prefix="uapi-mutant-") as mutant:
            include = os.path.join(mutant, "include")
            shutil.copytree(source, include)
            path = os.path.join(include, filename)
            text = open(path, encoding="utf-8").read()
            changed, count = re.subn(pattern, replacement, text)
            if count != 1:
                print(f"self-test: mutation for {item} did not apply", file=sys.stderr)
                failures += 1
                continue
            open(path, "w", encoding="utf-8").write(changed)
            cmd = [sys.executable, os.path.abspath(__file__), "--repo", args.repo, "--headers", args.headers,
                   "--our-include", include]
            out = subprocess.run(cmd, capture_output=True, text=True)
            caught = out.returncode != 0 and item in out.stdout
            print(f"self-test: {'caught' if caught else 'MISSED'}: {item} ({filename})")
            failures += 0 if caught else 1
    print(f"check-uapi-layout self-test: {len(MUTATIONS) - failures} of {len(MUTATIONS)} deliberate changes caught")
    return 1 if failures else 0


@dataclass
class Inventory:
    """The checkable items of one header."""

    structs: dict[str, list[str]] = field(default_factory=dict)  # struct -> field paths
    constants: list[str] = field(default_factory=list)  # enum constants and #defines

    def items(self) -> set[str]:
        result = {f"struct {s}" for s in self.structs}
        for s, fields in self.structs.items():
            result.update(f"struct {s}.{f}" for f in fields)
        result.update(f"const {c}" for c in self.constants)
        return result


def ast(source: str, include_dirs: list[str]) -> dict:
    cmd = [CLANG, "-x", "c", "-std=gnu11", "-fsyntax-only", "-Xclang", "-ast-dump=json"]
    for d in include_dirs:
        cmd += ["-I", d]
    cmd.append("-")
    out = subprocess.run(cmd, input=source, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"check-uapi-layout: clang failed:\n{out.stderr}")
    return json.loads(out.stdout)


def record_fields(record: dict) -> list[str]:
    """Field paths of a struct/union AST node: nested named members become
    `outer.inner`, members of anonymous unions/structs stay at this level."""
    paths: list[str] = []
    pending: dict | None = None
    for child in record.get("inner", []):
        kind = child.get("kind")
        if kind == "RecordDecl" and child.get("completeDefinition") and not child.get("name"):
            pending = child
        elif kind == "FieldDecl":
            name = child.get("name")
            qual = child.get("type", {}).get("qualType", "")
            nested = pending if pending is not None and ("(anonymous" in qual or "(unnamed" in qual) else None
            pending = None
            if nested is None:
                if name:
                    paths.append(name)
                continue
            inner = record_fields(nested)
            if name:
                paths.append(name)
                paths.extend(f"{name}.{p}" for p in inner)
            else:
                paths.extend(inner)
    return paths


def inventory(header_path: str, include_dirs: list[str], prelude: str = "") -> Inventory:
    """Structs and enum constants declared in `header_path` itself."""
    real = os.path.realpath(header_path)
    tree = ast(prelude + f'#include "{real}"\n', include_dirs)
    inv = Inventory()
    current_file = None
    for node in tree.get("inner", []):
        loc = node.get("loc", {})
        for key in ("spellingLoc", "expansionLoc"):
            if key in loc:
                loc = loc[key]
                break
        if "file" in loc:
            current_file = os.path.realpath(loc["file"])
        if current_file != real:
            continue
        kind = node.get("kind")
        if kind == "RecordDecl" and node.get("tagUsed") == "struct" and node.get("name") and node.get("completeDefinition"):
            inv.structs[node["name"]] = record_fields(node)
        elif kind == "EnumDecl":
            for const in node.get("inner", []):
                if const.get("kind") == "EnumConstantDecl":
                    inv.constants.append(const["name"])
    text = open(header_path, encoding="utf-8").read()
    guard = re.search(r"#ifndef\s+(\w+)\s*\n\s*#define\s+\1\b", text)
    for match in re.finditer(r"^\s*#\s*define\s+([A-Za-z_]\w*)(\(?)", text, re.M):
        name, function_like = match.group(1), match.group(2)
        if function_like or (guard and name == guard.group(1)):
            continue
        if name not in inv.constants:
            inv.constants.append(name)
    return inv


def probe_program(inv: Inventory, include_line: str) -> str:
    lines = ["#include <stdio.h>", "#include <stddef.h>", include_line, "int main(void) {"]
    for s, fields in sorted(inv.structs.items()):
        lines.append(f'printf("struct {s} size=%zu align=%zu\\n", sizeof(struct {s}), _Alignof(struct {s}));')
        for f in fields:
            lines.append(
                f'printf("struct {s}.{f} offset=%zu size=%zu\\n", offsetof(struct {s}, {f}), '
                f"sizeof(((struct {s} *)0)->{f}));"
            )
    for c in inv.constants:
        lines.append(f'printf("const {c} value=%llu\\n", (unsigned long long)({c}));')
    lines += ["return 0;", "}"]
    return "\n".join(lines) + "\n"


def run_probe(program: str, include_dirs: list[str], workdir: str, tag: str) -> dict[str, str]:
    src = os.path.join(workdir, f"probe-{tag}.c")
    exe = os.path.join(workdir, f"probe-{tag}")
    with open(src, "w", encoding="utf-8") as f:
        f.write(program)
    cmd = [CLANG, "-std=gnu11", "-w", "-o", exe, src]
    for d in include_dirs:
        cmd[1:1] = ["-I", d]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"check-uapi-layout: compiling the {tag} probe failed:\n{out.stderr[:4000]}")
    result = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    table = {}
    for line in result.splitlines():
        # "struct x size=8 align=4" -> key "struct x", value "size=8 align=4"
        parts = line.split(" ")
        head = " ".join(parts[:2])
        table[head] = " ".join(parts[2:])
    return table


@dataclass
class Check:
    """One header pair."""

    name: str
    ours: str  # path to our header
    ours_include: list[str]
    theirs: str  # path to the kernel's header
    theirs_include: list[str]
    ours_prelude: str = ""
    theirs_prelude: str = ""
    # Kernel items we must declare; None means every item of the kernel header.
    required: set[str] | None = None
    # Whether a required struct requires all of its fields too (a test-ABI
    # subset may declare only the union members it uses).
    required_with_fields: bool = True


def compare(check: Check, workdir: str, verbose: bool) -> tuple[int, list[str]]:
    ours = inventory(check.ours, check.ours_include, check.ours_prelude)
    theirs = inventory(check.theirs, check.theirs_include, check.theirs_prelude)
    our_items, their_items = ours.items(), theirs.items()
    problems: list[str] = []

    required = their_items if check.required is None else {i for i in their_items if any(
        i == r or (check.required_with_fields and i.startswith(r + ".")) for r in check.required)}
    for missing in sorted(required - our_items):
        if ALLOW_NEWER:
            print(f"  note {check.name}: only in the newer kernel header: {missing}")
        else:
            problems.append(f"{check.name}: missing in ours: {missing}")
    for extra in sorted(our_items - their_items):
        problems.append(f"{check.name}: not in the kernel header: {extra}")

    shared = Inventory(
        structs={s: [f for f in fs if f"struct {s}.{f}" in their_items] for s, fs in ours.structs.items()
                 if f"struct {s}" in their_items},
        constants=[c for c in ours.constants if f"const {c}" in their_items],
    )
    our_table = run_probe(
        probe_program(shared, check.ours_prelude + f'#include "{os.path.realpath(check.ours)}"'),
        check.ours_include, workdir, f"{check.name}-ours")
    their_table = run_probe(
        probe_program(shared, check.theirs_prelude + f'#include "{os.path.realpath(check.theirs)}"'),
        check.theirs_include, workdir, f"{check.name}-kernel")
    for key in sorted(their_table):
        if our_table.get(key) != their_table[key]:
            problems.append(f"{check.name}: {key}: ours {our_table.get(key)} != kernel {their_table[key]}")
        elif verbose:
            print(f"  ok {check.name}: {key} {their_table[key]}")
    return len(their_table), problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", required=True, help="the swift-iommufd checkout")
    parser.add_argument("--headers", required=True, help="a directory holding linux/iommufd.h and linux/vfio.h")
    parser.add_argument("--test-header", help="the kernel's drivers/iommu/iommufd/iommufd_test.h (optional)")
    parser.add_argument("--our-include", help="override our include directory (used by the self-test)")
    parser.add_argument("--allow-newer", action="store_true",
                        help="the kernel headers are newer than the pinned release: items only they have are "
                             "reported but do not fail the check")
    parser.add_argument("--self-test", action="store_true",
                        help="prove the check catches deliberate changes to our declarations")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return self_test(args)

    global ALLOW_NEWER
    ALLOW_NEWER = args.allow_newer
    ours = args.our_include or os.path.join(args.repo, "Sources/CIOMMUFD/include")
    selftest_ours = os.path.join(args.repo, "Sources/CIOMMUFDSelftest/include")
    kernel = args.headers
    for h in ("linux/iommufd.h", "linux/vfio.h"):
        if not os.path.exists(os.path.join(kernel, h)):
            print(f"check-uapi-layout: {kernel} has no {h}", file=sys.stderr)
            return 2

    vfio_cdev = {
        "struct vfio_device_bind_iommufd", "struct vfio_device_attach_iommufd_pt",
        "struct vfio_device_detach_iommufd_pt", "struct vfio_device_info", "struct vfio_region_info",
        "struct vfio_info_cap_header",
        "const VFIO_TYPE", "const VFIO_BASE", "const VFIO_DEVICE_BIND_FLAG_TOKEN", "const VFIO_DEVICE_BIND_IOMMUFD",
        "const VFIO_DEVICE_ATTACH_PASID", "const VFIO_DEVICE_ATTACH_IOMMUFD_PT", "const VFIO_DEVICE_DETACH_PASID",
        "const VFIO_DEVICE_DETACH_IOMMUFD_PT", "const VFIO_DEVICE_GET_INFO", "const VFIO_DEVICE_GET_REGION_INFO",
        "const VFIO_PCI_CONFIG_REGION_INDEX",
    }
    checks = [
        Check("iommufd.h", os.path.join(ours, "ciommufd_iommufd.h"), [ours],
              os.path.join(kernel, "linux/iommufd.h"), [kernel]),
        Check("vfio.h", os.path.join(ours, "ciommufd_vfio.h"), [ours],
              os.path.join(kernel, "linux/vfio.h"), [kernel], required=vfio_cdev),
    ]
    if args.test_header:
        # The kernel's test header includes <linux/iommufd.h>: give it the real one.
        checks.append(Check(
            "iommufd_test.h", os.path.join(selftest_ours, "ciommufd_selftest.h"), [selftest_ours, ours],
            args.test_header, [kernel], required={
                "struct iommu_test_cmd", "struct iommu_test_hw_info", "const IOMMU_TEST_CMD",
                "const IOMMU_TEST_OP_MOCK_DOMAIN", "const IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS",
                "const IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE", "const IOMMU_TEST_OP_PASID_ATTACH",
                "const IOMMU_TEST_OP_PASID_REPLACE", "const IOMMU_TEST_OP_PASID_DETACH",
                "const IOMMU_TEST_OP_PASID_CHECK_HWPT", "const IOMMU_TEST_OP_DIRTY",
                "const MOCK_FLAGS_DEVICE_NO_DIRTY", "const MOCK_FLAGS_DEVICE_PASID", "const MOCK_PASID_WIDTH",
                "const IOMMU_HW_INFO_TYPE_SELFTEST",
            }, required_with_fields=False))
        # Our subset of the test ABI declares only some union members: it may
        # not claim items the kernel lacks, but need not cover the rest.

    total, problems = 0, []
    with tempfile.TemporaryDirectory(prefix="uapi-layout-") as workdir:
        for check in checks:
            compared, found = compare(check, workdir, args.verbose)
            total += compared
            problems += found
            print(f"check-uapi-layout: {check.name}: {compared} items compared, {len(found)} differ")
    for p in problems:
        print(f"  DIFF {p}")
    print(f"check-uapi-layout: {total} items compared, {len(problems)} differ")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
