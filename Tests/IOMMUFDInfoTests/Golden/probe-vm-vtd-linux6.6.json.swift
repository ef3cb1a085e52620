// Golden output `probe-vm-vtd-linux6.6.json` of iommufd-info. Generated: run the tests with
// IOMMUFD_INFO_UPDATE_GOLDEN=1 to rewrite it, then review the diff.

extension GoldenIndex {
    static let probe_vm_vtd_linux6_6_json = ##"""
{
  "device": {
    "name": "vfio0",
    "node": "/dev/vfio/devices/vfio0",
    "node_present": true,
    "device_number": "252:0",
    "sysfs_path": "/sys/devices/pci0000:00/0000:00:01.0",
    "pci_address": "0000:00:01.0",
    "mediated": null,
    "vendor_id": "0x1234",
    "device_id": "0x11e8",
    "class": "0x00ff00",
    "driver": "vfio-pci",
    "iommu_group": 1,
    "iommu": "dmar0"
  },
  "kernel_release": "6.6.0",
  "iommufd": {
    "path": "/dev/iommu",
    "device_id": 1
  },
  "hardware_info": {
    "type": "intel-vtd",
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7)"
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_DIRTY_TRACKING (Linux 6.7)"
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_PASID (Linux 6.15)"
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7), IOMMU_HWPT_ALLOC_DIRTY_TRACKING (Linux 6.7)"
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7), IOMMU_HWPT_ALLOC_PASID (Linux 6.15)"
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_DIRTY_TRACKING (Linux 6.7), IOMMU_HWPT_ALLOC_PASID (Linux 6.15)"
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7), IOMMU_HWPT_ALLOC_DIRTY_TRACKING (Linux 6.7), IOMMU_HWPT_ALLOC_PASID (Linux 6.15)"
      },
      "skip_reason": null
    }
  ],
  "fault_queue": {
    "result": "refused",
    "id": null,
    "destroyed": null,
    "error": {
      "errno": "ENOTTY",
      "errno_value": 25,
      "code": "unsupported-by-kernel",
      "message": "IOMMU_FAULT_QUEUE_ALLOC failed: ENOTTY (Inappropriate ioctl for device)",
      "meaning": "Linux 6.6 predates IOMMU_FAULT_QUEUE_ALLOC, which Linux 6.11 added"
    },
    "skip_reason": null
  },
  "hwpt_alloc_with_fault_queue": [],
  "input_type": {
    "requested": "intel-vtd",
    "result": "fell-back",
    "returned": "intel-vtd",
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7)"
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
        "meaning": "Linux 6.6 predates IOMMU_HWPT_ALLOC_NEST_PARENT (Linux 6.7)"
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
