"""What a reader needs to read the comparison table, each concept with its diagram."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from hvplanner.painting import diagrams
from hvplanner.painting.diagrams import Diagram
from hvplanner.ui.compare.diagrams import DiagramWidget
from hvplanner.ui.i18n import QT_TRANSLATE_NOOP, translate


# Titles and texts are marked in "ConceptsPanel" and translated when the panel is built.
@dataclass(frozen=True)
class Concept:
    title: str
    diagram: Diagram | None
    html: str


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        QT_TRANSLATE_NOOP("ConceptsPanel", "Type 1 and type 2"),
        diagrams.TYPES,
        QT_TRANSLATE_NOOP(
            "ConceptsPanel",
            "<p>A <b>type 1</b> (bare-metal) hypervisor is the first thing the machine boots: "
            "ESXi, Hyper-V and Xen schedule guests directly on the hardware. A <b>type 2</b> "
            "(hosted) hypervisor such as VirtualBox is an application on an ordinary operating "
            "system, which keeps the hardware drivers. <b>KVM</b> sits between: the Linux kernel "
            "itself becomes the hypervisor once the kvm module is loaded.</p>",
        ),
    ),
    Concept(
        QT_TRANSLATE_NOOP("ConceptsPanel", "Four approaches to virtualization"),
        None,
        QT_TRANSLATE_NOOP(
            "ConceptsPanel",
            "<ul><li><b>Full virtualization with binary translation</b>: the hypervisor rewrites "
            "the guest's privileged instructions on the fly; unmodified guests, some overhead.</li>"
            "<li><b>Paravirtualization</b>: the guest kernel is modified to call the hypervisor "
            "(hypercalls) instead of touching hardware; fast, but needs a cooperating kernel "
            "(Xen PV).</li>"
            "<li><b>Hardware-assisted virtualization</b>: the CPU's VT-x / AMD-V traps privileged "
            "operations itself; unmodified guests at near-native speed (KVM, Hyper-V, ESXi, "
            "Xen HVM).</li>"
            "<li><b>OS-level virtualization</b>: containers share one kernel; no guest kernel at "
            "all.</li></ul>",
        ),
    ),
    Concept(
        QT_TRANSLATE_NOOP("ConceptsPanel", "KVM and QEMU"),
        diagrams.KVM,
        QT_TRANSLATE_NOOP(
            "ConceptsPanel",
            "<p>Each KVM guest is a QEMU process on the host. The CPU runs guest code through "
            "/dev/kvm; QEMU emulates the devices, and <b>virtio</b> drivers in the guest replace "
            "slow emulation with shared-memory queues. libvirt and virsh manage the guests.</p>",
        ),
    ),
    Concept(
        QT_TRANSLATE_NOOP("ConceptsPanel", "Xen: Dom0, DomU, PV and HVM"),
        diagrams.XEN,
        QT_TRANSLATE_NOOP(
            "ConceptsPanel",
            "<p>The Xen hypervisor schedules CPUs, hands out memory and handles interrupts, "
            "event channels and grant tables. <b>Dom0</b>, a privileged domain (usually Linux) "
            "started first, owns the real devices and runs the management tools; back-ends can "
            "also sit in driver domains. Guests are <b>DomU</b>s: <b>PV</b> guests run a "
            "modified kernel and need no VT-x; <b>PVH</b> guests, the mode for Linux today, are "
            "paravirtualized inside hardware virtualization with no emulated devices; "
            "<b>HVM</b> guests run unmodified systems (Windows needs HVM) with upstream QEMU, in "
            "Dom0 or a stub domain, emulating their devices, and <b>PVHVM</b> drivers give them "
            "PV-speed disk and network. I/O uses <b>split drivers</b>: a front-end in the DomU "
            "and a back-end in Dom0 exchange requests through shared-memory <b>ring buffers</b> "
            "and signal each other through <b>event channels</b>. Networking is by the vif "
            "scripts: <b>bridge</b> (guests on the LAN), <b>route</b>, routed <b>NAT</b> or "
            "<b>Open vSwitch</b>. Tools: <b>xl</b> today; <b>xm/xend</b> were deprecated in "
            "the Xen 4.2 documentation and removed in 4.5; <b>xe/XAPI</b> in XenServer and "
            "XCP-ng; <b>libvirt</b> also drives Xen.</p>",
        ),
    ),
    Concept(
        QT_TRANSLATE_NOOP("ConceptsPanel", "Hardware assistance: VT-x / AMD-V, SLAT, IOMMU"),
        diagrams.HW_ASSIST,
        QT_TRANSLATE_NOOP(
            "ConceptsPanel",
            "<p><b>VT-x</b> (Intel) and <b>AMD-V</b> add a mode in which guests run directly and "
            "the CPU exits to the hypervisor on sensitive operations. It must be present in the "
            "CPU <i>and</i> switched on in the firmware, and only one hypervisor can hold it at a "
            "time. <b>SLAT</b> (Intel EPT, AMD RVI/NPT) lets the CPU translate guest memory "
            "without shadow page tables; Hyper-V requires it since Windows Server 2016. The "
            "<b>IOMMU</b> (VT-d, AMD-Vi) remaps device DMA so a physical device can be passed "
            "to a guest.</p>",
        ),
    ),
    Concept(
        QT_TRANSLATE_NOOP("ConceptsPanel", "Live migration"),
        diagrams.MIGRATION,
        QT_TRANSLATE_NOOP(
            "ConceptsPanel",
            "<p>Pre-copy migration copies a running VM's memory to the target host in rounds, "
            "each sending the pages the guest dirtied during the previous round. When little is "
            "left, the VM pauses, the rest is sent, and it resumes on the target. Pages the guest "
            "rewrites all the time (its writable working set) are sent every round, so the pause "
            "is at least that set ÷ the link: Clark et al. measured 60 and 210 ms. Xen pauses "
            "after 5 rounds whatever is left; QEMU waits until the rest fits its 300 ms limit and "
            "otherwise never converges on its own.</p>",
        ),
    ),
)


class ConceptsPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(320)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        for concept in CONCEPTS:
            title = QLabel("<h3>{}</h3>".format(translate("ConceptsPanel", concept.title)))
            layout.addWidget(title)
            if concept.diagram is not None:
                layout.addWidget(DiagramWidget(concept.diagram))
            text = QLabel(translate("ConceptsPanel", concept.html))
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(text)
        layout.addStretch(1)
        self.setWidget(body)
