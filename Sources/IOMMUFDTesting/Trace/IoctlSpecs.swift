internal import CIOMMUFD
internal import CIOMMUFDSelftest

/// How one field of an ioctl structure is shown in the trace.
struct FieldSpec {
    let name: String
    let offset: Int
    let width: Int
    let hex: Bool

    func read(_ base: UnsafeRawPointer, available: Int) -> TraceField? {
        guard offset + width <= available else { return nil }
        let value: UInt64 = switch width {
        case 1: UInt64(base.loadUnaligned(fromByteOffset: offset, as: UInt8.self))
        case 2: UInt64(base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
        case 4: UInt64(base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        default: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        }
        return TraceField(name, hex ? .hex(value) : .number(value))
    }
}

/// The name and trace fields of one ioctl request.
struct IoctlSpec {
    let name: String
    /// The structure's size in the pinned UAPI (how much the trace reads at most).
    let size: Int
    let inputs: [FieldSpec]
    let outputs: [FieldSpec]

    func decode(_ fields: [FieldSpec], _ base: UnsafeRawPointer) -> [TraceField] {
        let declared = Int(base.loadUnaligned(as: UInt32.self))
        let available = min(max(declared, 4), size)
        return fields.compactMap { $0.read(base, available: available) }
    }
}

private func field<T, V>(_ name: String, _ path: KeyPath<T, V>, hex: Bool = false) -> FieldSpec {
    FieldSpec(name: name, offset: MemoryLayout<T>.offset(of: path)!, width: MemoryLayout<V>.size, hex: hex)
}

private func spec<T>(
    _ name: String, _ type: T.Type, _ inputs: [FieldSpec], _ outputs: [FieldSpec] = []
) -> IoctlSpec {
    IoctlSpec(name: name, size: MemoryLayout<T>.size, inputs: inputs, outputs: outputs)
}

/// Every request the model decodes, by request number.
let ioctlSpecs: [UInt: IoctlSpec] = {
    var table: [UInt: IoctlSpec] = [:]
    table[CIOMMUFD_IOMMU_DESTROY] = spec("IOMMU_DESTROY", iommu_destroy.self, [field("id", \iommu_destroy.id)])
    table[CIOMMUFD_IOMMU_IOAS_ALLOC] = spec(
        "IOMMU_IOAS_ALLOC", iommu_ioas_alloc.self, [field("flags", \iommu_ioas_alloc.flags, hex: true)],
        [field("out_ioas_id", \iommu_ioas_alloc.out_ioas_id)])
    table[CIOMMUFD_IOMMU_IOAS_ALLOW_IOVAS] = spec(
        "IOMMU_IOAS_ALLOW_IOVAS", iommu_ioas_allow_iovas.self,
        [field("ioas_id", \iommu_ioas_allow_iovas.ioas_id), field("num_iovas", \iommu_ioas_allow_iovas.num_iovas)])
    table[CIOMMUFD_IOMMU_IOAS_COPY] = spec(
        "IOMMU_IOAS_COPY", iommu_ioas_copy.self,
        [field("flags", \iommu_ioas_copy.flags, hex: true), field("dst_ioas_id", \iommu_ioas_copy.dst_ioas_id),
         field("src_ioas_id", \iommu_ioas_copy.src_ioas_id), field("length", \iommu_ioas_copy.length, hex: true),
         field("dst_iova", \iommu_ioas_copy.dst_iova, hex: true), field("src_iova", \iommu_ioas_copy.src_iova, hex: true)],
        [field("dst_iova", \iommu_ioas_copy.dst_iova, hex: true)])
    table[CIOMMUFD_IOMMU_IOAS_IOVA_RANGES] = spec(
        "IOMMU_IOAS_IOVA_RANGES", iommu_ioas_iova_ranges.self,
        [field("ioas_id", \iommu_ioas_iova_ranges.ioas_id), field("num_iovas", \iommu_ioas_iova_ranges.num_iovas)],
        [field("num_iovas", \iommu_ioas_iova_ranges.num_iovas),
         field("out_iova_alignment", \iommu_ioas_iova_ranges.out_iova_alignment, hex: true)])
    table[CIOMMUFD_IOMMU_IOAS_MAP] = spec(
        "IOMMU_IOAS_MAP", iommu_ioas_map.self,
        [field("flags", \iommu_ioas_map.flags, hex: true), field("ioas_id", \iommu_ioas_map.ioas_id),
         field("user_va", \iommu_ioas_map.user_va, hex: true), field("length", \iommu_ioas_map.length, hex: true),
         field("iova", \iommu_ioas_map.iova, hex: true)],
        [field("iova", \iommu_ioas_map.iova, hex: true)])
    table[CIOMMUFD_IOMMU_IOAS_MAP_FILE] = spec(
        "IOMMU_IOAS_MAP_FILE", iommu_ioas_map_file.self,
        [field("flags", \iommu_ioas_map_file.flags, hex: true), field("ioas_id", \iommu_ioas_map_file.ioas_id),
         field("fd", \iommu_ioas_map_file.fd), field("start", \iommu_ioas_map_file.start, hex: true),
         field("length", \iommu_ioas_map_file.length, hex: true), field("iova", \iommu_ioas_map_file.iova, hex: true)],
        [field("iova", \iommu_ioas_map_file.iova, hex: true)])
    table[CIOMMUFD_IOMMU_IOAS_UNMAP] = spec(
        "IOMMU_IOAS_UNMAP", iommu_ioas_unmap.self,
        [field("ioas_id", \iommu_ioas_unmap.ioas_id), field("iova", \iommu_ioas_unmap.iova, hex: true),
         field("length", \iommu_ioas_unmap.length, hex: true)],
        [field("length", \iommu_ioas_unmap.length, hex: true)])
    table[CIOMMUFD_IOMMU_OPTION] = spec(
        "IOMMU_OPTION", iommu_option.self,
        [field("option_id", \iommu_option.option_id), field("op", \iommu_option.op),
         field("object_id", \iommu_option.object_id), field("val64", \iommu_option.val64)],
        [field("val64", \iommu_option.val64)])
    table[CIOMMUFD_IOMMU_VFIO_IOAS] = spec(
        "IOMMU_VFIO_IOAS", iommu_vfio_ioas.self,
        [field("ioas_id", \iommu_vfio_ioas.ioas_id), field("op", \iommu_vfio_ioas.op)],
        [field("ioas_id", \iommu_vfio_ioas.ioas_id)])
    table[CIOMMUFD_IOMMU_HWPT_ALLOC] = spec(
        "IOMMU_HWPT_ALLOC", iommu_hwpt_alloc.self,
        [field("flags", \iommu_hwpt_alloc.flags, hex: true), field("dev_id", \iommu_hwpt_alloc.dev_id),
         field("pt_id", \iommu_hwpt_alloc.pt_id), field("data_type", \iommu_hwpt_alloc.data_type),
         field("data_len", \iommu_hwpt_alloc.data_len), field("fault_id", \iommu_hwpt_alloc.fault_id)],
        [field("out_hwpt_id", \iommu_hwpt_alloc.out_hwpt_id)])
    table[CIOMMUFD_IOMMU_GET_HW_INFO] = spec(
        "IOMMU_GET_HW_INFO", iommu_hw_info.self,
        [field("flags", \iommu_hw_info.flags, hex: true), field("dev_id", \iommu_hw_info.dev_id),
         field("data_len", \iommu_hw_info.data_len), FieldSpec(name: "in_data_type", offset: 24, width: 4, hex: true)],
        [field("data_len", \iommu_hw_info.data_len), FieldSpec(name: "out_data_type", offset: 24, width: 4, hex: true),
         field("out_max_pasid_log2", \iommu_hw_info.out_max_pasid_log2),
         field("out_capabilities", \iommu_hw_info.out_capabilities, hex: true)])
    table[CIOMMUFD_IOMMU_HWPT_SET_DIRTY_TRACKING] = spec(
        "IOMMU_HWPT_SET_DIRTY_TRACKING", iommu_hwpt_set_dirty_tracking.self,
        [field("flags", \iommu_hwpt_set_dirty_tracking.flags, hex: true),
         field("hwpt_id", \iommu_hwpt_set_dirty_tracking.hwpt_id)])
    table[CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP] = spec(
        "IOMMU_HWPT_GET_DIRTY_BITMAP", iommu_hwpt_get_dirty_bitmap.self,
        [field("hwpt_id", \iommu_hwpt_get_dirty_bitmap.hwpt_id),
         field("flags", \iommu_hwpt_get_dirty_bitmap.flags, hex: true),
         field("iova", \iommu_hwpt_get_dirty_bitmap.iova, hex: true),
         field("length", \iommu_hwpt_get_dirty_bitmap.length, hex: true),
         field("page_size", \iommu_hwpt_get_dirty_bitmap.page_size, hex: true)])
    table[CIOMMUFD_IOMMU_HWPT_INVALIDATE] = spec(
        "IOMMU_HWPT_INVALIDATE", iommu_hwpt_invalidate.self,
        [field("hwpt_id", \iommu_hwpt_invalidate.hwpt_id), field("data_type", \iommu_hwpt_invalidate.data_type),
         field("entry_len", \iommu_hwpt_invalidate.entry_len), field("entry_num", \iommu_hwpt_invalidate.entry_num)],
        [field("entry_num", \iommu_hwpt_invalidate.entry_num)])
    table[CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC] = spec(
        "IOMMU_FAULT_QUEUE_ALLOC", iommu_fault_alloc.self, [field("flags", \iommu_fault_alloc.flags, hex: true)],
        [field("out_fault_id", \iommu_fault_alloc.out_fault_id), field("out_fault_fd", \iommu_fault_alloc.out_fault_fd)])
    table[CIOMMUFD_IOMMU_VIOMMU_ALLOC] = spec(
        "IOMMU_VIOMMU_ALLOC", iommu_viommu_alloc.self,
        [field("flags", \iommu_viommu_alloc.flags, hex: true), field("type", \iommu_viommu_alloc.type, hex: true),
         field("dev_id", \iommu_viommu_alloc.dev_id), field("hwpt_id", \iommu_viommu_alloc.hwpt_id),
         field("data_len", \iommu_viommu_alloc.data_len)],
        [field("out_viommu_id", \iommu_viommu_alloc.out_viommu_id)])
    table[CIOMMUFD_IOMMU_VDEVICE_ALLOC] = spec(
        "IOMMU_VDEVICE_ALLOC", iommu_vdevice_alloc.self,
        [field("viommu_id", \iommu_vdevice_alloc.viommu_id), field("dev_id", \iommu_vdevice_alloc.dev_id),
         field("virt_id", \iommu_vdevice_alloc.virt_id, hex: true)],
        [field("out_vdevice_id", \iommu_vdevice_alloc.out_vdevice_id)])
    table[CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS] = spec("IOMMU_IOAS_CHANGE_PROCESS", iommu_ioas_change_process.self, [])
    table[CIOMMUFD_IOMMU_VEVENTQ_ALLOC] = spec(
        "IOMMU_VEVENTQ_ALLOC", iommu_veventq_alloc.self,
        [field("flags", \iommu_veventq_alloc.flags, hex: true), field("viommu_id", \iommu_veventq_alloc.viommu_id),
         field("type", \iommu_veventq_alloc.type, hex: true), field("veventq_depth", \iommu_veventq_alloc.veventq_depth)],
        [field("out_veventq_id", \iommu_veventq_alloc.out_veventq_id),
         field("out_veventq_fd", \iommu_veventq_alloc.out_veventq_fd)])
    table[CIOMMUFD_IOMMU_HW_QUEUE_ALLOC] = spec(
        "IOMMU_HW_QUEUE_ALLOC", iommu_hw_queue_alloc.self,
        [field("flags", \iommu_hw_queue_alloc.flags, hex: true), field("viommu_id", \iommu_hw_queue_alloc.viommu_id),
         field("type", \iommu_hw_queue_alloc.type), field("index", \iommu_hw_queue_alloc.index),
         field("nesting_parent_iova", \iommu_hw_queue_alloc.nesting_parent_iova, hex: true),
         field("length", \iommu_hw_queue_alloc.length, hex: true)],
        [field("out_hw_queue_id", \iommu_hw_queue_alloc.out_hw_queue_id)])
    table[CIOMMUFD_IOMMU_TEST_CMD] = spec(
        "IOMMU_TEST_CMD", iommu_test_cmd.self,
        [field("op", \iommu_test_cmd.op), field("id", \iommu_test_cmd.id)])
    table[CIOMMUFD_VFIO_DEVICE_GET_INFO] = spec(
        "VFIO_DEVICE_GET_INFO", vfio_device_info.self, [field("argsz", \vfio_device_info.argsz)],
        [field("flags", \vfio_device_info.flags, hex: true), field("num_regions", \vfio_device_info.num_regions),
         field("num_irqs", \vfio_device_info.num_irqs)])
    table[CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO] = spec(
        "VFIO_DEVICE_GET_REGION_INFO", vfio_region_info.self,
        [field("argsz", \vfio_region_info.argsz), field("index", \vfio_region_info.index)],
        [field("flags", \vfio_region_info.flags, hex: true), field("size", \vfio_region_info.size, hex: true),
         field("offset", \vfio_region_info.offset, hex: true)])
    table[CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD] = spec(
        "VFIO_DEVICE_BIND_IOMMUFD", vfio_device_bind_iommufd.self,
        [field("argsz", \vfio_device_bind_iommufd.argsz), field("flags", \vfio_device_bind_iommufd.flags, hex: true),
         field("iommufd", \vfio_device_bind_iommufd.iommufd)],
        [field("out_devid", \vfio_device_bind_iommufd.out_devid)])
    table[CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT] = spec(
        "VFIO_DEVICE_ATTACH_IOMMUFD_PT", vfio_device_attach_iommufd_pt.self,
        [field("argsz", \vfio_device_attach_iommufd_pt.argsz),
         field("flags", \vfio_device_attach_iommufd_pt.flags, hex: true),
         field("pt_id", \vfio_device_attach_iommufd_pt.pt_id), field("pasid", \vfio_device_attach_iommufd_pt.pasid)],
        [field("pt_id", \vfio_device_attach_iommufd_pt.pt_id)])
    table[CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT] = spec(
        "VFIO_DEVICE_DETACH_IOMMUFD_PT", vfio_device_detach_iommufd_pt.self,
        [field("argsz", \vfio_device_detach_iommufd_pt.argsz),
         field("flags", \vfio_device_detach_iommufd_pt.flags, hex: true),
         field("pasid", \vfio_device_detach_iommufd_pt.pasid)])
    return table
}()

/// The names of `IOMMU_TEST_CMD` operations.
func selftestOperationName(_ op: UInt32) -> String {
    switch Int(op) {
    case Int(IOMMU_TEST_OP_ADD_RESERVED): "ADD_RESERVED"
    case Int(IOMMU_TEST_OP_MOCK_DOMAIN): "MOCK_DOMAIN"
    case Int(IOMMU_TEST_OP_MD_CHECK_MAP): "MD_CHECK_MAP"
    case Int(IOMMU_TEST_OP_MD_CHECK_REFS): "MD_CHECK_REFS"
    case Int(IOMMU_TEST_OP_CREATE_ACCESS): "CREATE_ACCESS"
    case Int(IOMMU_TEST_OP_DESTROY_ACCESS_PAGES): "DESTROY_ACCESS_PAGES"
    case Int(IOMMU_TEST_OP_ACCESS_PAGES): "ACCESS_PAGES"
    case Int(IOMMU_TEST_OP_ACCESS_RW): "ACCESS_RW"
    case Int(IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT): "SET_TEMP_MEMORY_LIMIT"
    case Int(IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE): "MOCK_DOMAIN_REPLACE"
    case Int(IOMMU_TEST_OP_ACCESS_REPLACE_IOAS): "ACCESS_REPLACE_IOAS"
    case Int(IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS): "MOCK_DOMAIN_FLAGS"
    case Int(IOMMU_TEST_OP_DIRTY): "DIRTY"
    case Int(IOMMU_TEST_OP_MD_CHECK_IOTLB): "MD_CHECK_IOTLB"
    case Int(IOMMU_TEST_OP_TRIGGER_IOPF): "TRIGGER_IOPF"
    case Int(IOMMU_TEST_OP_DEV_CHECK_CACHE): "DEV_CHECK_CACHE"
    case Int(IOMMU_TEST_OP_TRIGGER_VEVENT): "TRIGGER_VEVENT"
    case Int(IOMMU_TEST_OP_PASID_ATTACH): "PASID_ATTACH"
    case Int(IOMMU_TEST_OP_PASID_REPLACE): "PASID_REPLACE"
    case Int(IOMMU_TEST_OP_PASID_DETACH): "PASID_DETACH"
    case Int(IOMMU_TEST_OP_PASID_CHECK_HWPT): "PASID_CHECK_HWPT"
    case Int(IOMMU_TEST_OP_DMABUF_GET): "DMABUF_GET"
    case Int(IOMMU_TEST_OP_DMABUF_REVOKE): "DMABUF_REVOKE"
    default: "op \(op)"
    }
}
