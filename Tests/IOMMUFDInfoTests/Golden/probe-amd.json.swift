// Golden output `probe-amd.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let probe_amd_json = ##"""
{
  "device": {
    "name": "vfio0",
    "node": "/dev/vfio/devices/vfio0",
    "node_present": true,
    "device_number": "252:0",
    "sysfs_path": "/sys/devices/pci0000:00/0000:00:02.0",
    "pci_address": "0000:00:02.0",
    "mediated": null,
    "vendor_id": "0x1234",
    "device_id": "0x11e8",
    "class": "0x00ff00",
    "driver": "vfio-pci",
    "iommu_group": 1,
    "iommu": "ivhd0"
  },
  "kernel_release": "7.2.13",
  "iommufd": {
    "path": "/dev/iommu",
    "device_id": 1
  },
  "hardware_info": {
    "type": "amd",
    "error": null
  },
  "ioas": 2,
  "hwpt_alloc": [
    {
      "flags": [],
      "flags_value": "0x00000000",
      "result": "accepted",
      "hwpt": 3,
      "destroyed": true,
      "error": null,
      "skip_reason": null
    },
    {
      "flags": [
        "nestParent"
      ],
      "flags_value": "0x00000001",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P)"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "dirtyTracking"
      ],
      "flags_value": "0x00000002",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [dirtyTracking]: dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "pasid"
      ],
      "flags_value": "0x00000008",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not)"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "nestParent",
        "dirtyTracking"
      ],
      "flags_value": "0x00000003",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent, dirtyTracking]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "nestParent",
        "pasid"
      ],
      "flags_value": "0x00000009",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P)"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "dirtyTracking",
        "pasid"
      ],
      "flags_value": "0x0000000a",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [dirtyTracking, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "nestParent",
        "dirtyTracking",
        "pasid"
      ],
      "flags_value": "0x0000000b",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent, dirtyTracking, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it"
      },
      "skip_reason": null
    }
  ],
  "fault_queue": {
    "result": "accepted",
    "id": 3,
    "destroyed": true,
    "error": null,
    "skip_reason": null
  },
  "hwpt_alloc_with_fault_queue": [
    {
      "flags": [
        "faultIDValid"
      ],
      "flags_value": "0x00000004",
      "result": "accepted",
      "hwpt": 4,
      "destroyed": true,
      "error": null,
      "skip_reason": null
    },
    {
      "flags": [
        "nestParent",
        "faultIDValid"
      ],
      "flags_value": "0x00000005",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent, faultIDValid]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "dirtyTracking",
        "faultIDValid"
      ],
      "flags_value": "0x00000006",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [dirtyTracking, faultIDValid]: dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it; faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "faultIDValid",
        "pasid"
      ],
      "flags_value": "0x0000000c",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [faultIDValid, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "nestParent",
        "dirtyTracking",
        "faultIDValid"
      ],
      "flags_value": "0x00000007",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent, dirtyTracking, faultIDValid]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it; faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "nestParent",
        "faultIDValid",
        "pasid"
      ],
      "flags_value": "0x0000000d",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent, faultIDValid, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "dirtyTracking",
        "faultIDValid",
        "pasid"
      ],
      "flags_value": "0x0000000e",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [dirtyTracking, faultIDValid, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it; faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later"
      },
      "skip_reason": null
    },
    {
      "flags": [
        "nestParent",
        "dirtyTracking",
        "faultIDValid",
        "pasid"
      ],
      "flags_value": "0x0000000f",
      "result": "refused",
      "hwpt": null,
      "destroyed": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent, dirtyTracking, faultIDValid, pasid]: pasid: PASID-capable page tables need Linux 6.15 or later and driver support (Intel VT-d and the kernel's mock driver have it; ARM SMMUv3 does not); nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P); dirtyTracking: the IOMMU must track dirty pages (VT-d SSADS / SLADS, AMD HDSup, SMMUv3 HTTU) and every attached device's IOMMU must support it; faultIDValid: I/O page faults need a fault-capable IOMMU (PRI) and Linux 6.11 or later"
      },
      "skip_reason": null
    }
  ],
  "input_type": {
    "requested": "amd",
    "result": "honoured",
    "returned": "amd",
    "error": null,
    "skip_reason": null
  },
  "policy": [
    {
      "viommu": "none",
      "name": "no vIOMMU",
      "wants": [],
      "result": "attached",
      "decision": {
        "device": 1,
        "outcome": "allocated",
        "hwpt": 3,
        "flags": [],
        "dirtyTracking": false,
        "rejected": [],
        "droppedDirtyTracking": false,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "allocated HWPT 3 with [] and attached"
        ],
        "ioctls": 3
      },
      "error": null,
      "detach_failures": []
    },
    {
      "viommu": "intel-vtd",
      "name": "Intel VT-d",
      "wants": [],
      "result": "attached",
      "decision": {
        "device": 1,
        "outcome": "allocated",
        "hwpt": 3,
        "flags": [],
        "dirtyTracking": false,
        "rejected": [],
        "droppedDirtyTracking": false,
        "reasons": [
          "no dirtyTracking: the IOMMU does not report dirty tracking for this device",
          "allocated HWPT 3 with [] and attached"
        ],
        "ioctls": 3
      },
      "error": null,
      "detach_failures": []
    },
    {
      "viommu": "intel-vtd-pasid",
      "name": "Intel VT-d with PASID",
      "wants": [
        "nestingParent",
        "pasidSupported",
        "pasidAttach"
      ],
      "result": "failed",
      "decision": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P)"
      },
      "detach_failures": []
    },
    {
      "viommu": "arm-smmuv3-nested",
      "name": "ARM SMMUv3 (nested)",
      "wants": [
        "nestingParent"
      ],
      "result": "failed",
      "decision": null,
      "error": {
        "errno": "EOPNOTSUPP",
        "errno_value": 95,
        "code": "unsupported-feature",
        "message": "IOMMU_HWPT_ALLOC failed: EOPNOTSUPP (Operation not supported)",
        "meaning": "the IOMMU driver for this device does not support [nestParent]: nestParent: the IOMMU must support nested translation (VT-d NEST, SMMUv3 S1P+S2P)"
      },
      "detach_failures": []
    }
  ],
  "cleanup": {
    "ioas_destroyed": true,
    "failures": []
  }
}

"""##
}
