// swift-tools-version: 6.1
//
// swift-iommufd benchmarks: a separate package, so that nothing here is in the
// library's dependency graph (users of IOMMUFD never build it). Run it with
// `scripts/bench` (release build, host micro-benchmark; `--vm` for the real
// kernel in the test VM). See Docs/Benchmarks.md.
//
// Targets:
//   - iommufd-bench: the driver (Swift). Times every operation through the
//     library and through CBaseline side by side in one process, counts heap
//     allocations per call, counts the policy's ioctls against QEMU's.
//   - CBaseline: the same system calls written in C against the project's own
//     pinned UAPI headers (Sources/CIOMMUFD, Sources/CIOMMUFDSelftest), and
//     QEMU's autodomain algorithm (hw/vfio/iommufd.c) transliterated to C.
//   - MallocCounter: malloc/calloc/realloc/free/posix_memalign/aligned_alloc/
//     memalign/valloc defined in the executable, forwarding to glibc's
//     __libc_* entry points and counting per thread; every shared library of
//     the process (the Swift runtime included) resolves to them.

import PackageDescription

let package = Package(
    name: "swift-iommufd-benchmarks",
    dependencies: [
        .package(name: "swift-iommufd", path: ".."),
        // Already in the library's graph (the policy logs through it).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "MallocCounter",
            cSettings: [.unsafeFlags(["-O2"])]
        ),
        .target(
            name: "CBaseline",
            dependencies: [
                // Only for the header search paths of the pinned UAPI
                // (CIOMMUFD, CIOMMUFDSelftest): the C code calls no Swift.
                .product(name: "IOMMUFDTesting", package: "swift-iommufd"),
            ],
            cSettings: [.unsafeFlags(["-O2"])]
        ),
        .executableTarget(
            name: "iommufd-bench",
            dependencies: [
                "CBaseline",
                "MallocCounter",
                .product(name: "IOMMUFD", package: "swift-iommufd"),
                .product(name: "IOMMUFDTesting", package: "swift-iommufd"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)],
            linkerSettings: [
                // Export the allocator entry points so that the Swift runtime
                // and every other shared library bind to the counting ones.
                .unsafeFlags(["-Xlinker", "--export-dynamic"]),
            ]
        ),
    ]
)
