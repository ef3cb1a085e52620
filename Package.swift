// swift-tools-version: 6.1
//
// swift-iommufd: drive Linux iommufd and VFIO device cdevs from Swift.
//
// Dependencies (each with its reason; nothing else is used):
//   - swift-system: `Errno`, `FilePath` and `FileDescriptor` in the public API,
//     so errors and paths use the types Swift programmers already know.
//   - swift-log: the autodomain policy logs every decision (like QEMU's trace
//     events) through a `Logger` the caller can route anywhere.
//   - swift-argument-parser: the `iommufd-info` command line only.

import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "swift-iommufd",
    products: [
        .library(name: "IOMMUFD", targets: ["IOMMUFD"]),
        .library(name: "IOMMUFDTesting", targets: ["IOMMUFDTesting"]),
        .executable(name: "iommufd-info", targets: ["iommufd-info"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The pinned Linux UAPI (iommufd + VFIO device cdev) and the ioctl shim.
        .target(name: "CIOMMUFD"),

        // The library: raw layer (internal), typed layer, decoders, policy.
        .target(
            name: "IOMMUFD",
            dependencies: [
                "CIOMMUFD",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // Test support only: the subset of the kernel's CONFIG_IOMMUFD_TEST ABI
        // (drivers/iommu/iommufd/iommufd_test.h) that drives its mock device.
        .target(name: "CIOMMUFDSelftest", dependencies: ["CIOMMUFD"]),

        // An in-memory model of iommufd and VFIO cdev for tests without root,
        // and the kernel's mock device as a policy device.
        .target(
            name: "IOMMUFDTesting",
            dependencies: [
                "IOMMUFD",
                "CIOMMUFD",
                "CIOMMUFDSelftest",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift
        ),

        // The command line tool: its logic lives in a library target so that
        // the tests can drive it over the in-memory model.
        .target(
            name: "IOMMUFDInfoCommand",
            dependencies: [
                "IOMMUFD",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "iommufd-info",
            dependencies: ["IOMMUFDInfoCommand"],
            swiftSettings: strictSwift
        ),


        .testTarget(
            name: "IOMMUFDTests",
            dependencies: [
                "IOMMUFD",
                "IOMMUFDTesting",
                "CIOMMUFD",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IOMMUFDTestingTests",
            dependencies: [
                "IOMMUFD",
                "IOMMUFDTesting",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IOMMUFDInfoTests",
            dependencies: [
                "IOMMUFDInfoCommand",
                "IOMMUFD",
                "IOMMUFDTesting",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "HardwareTests",
            dependencies: [
                "IOMMUFD",
                "IOMMUFDTesting",
                "CIOMMUFD",
                "CIOMMUFDSelftest",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
    ]
)
