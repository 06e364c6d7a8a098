"""One vCPU:LP ratio for every hypervisor, capped only by a published maximum in its unit."""

from __future__ import annotations

from hvplanner.catalog import load_catalog
from hvplanner.cli import main
from hvplanner.engine.assumptions import DEFAULT_VCPU_PER_LP, resolve
from hvplanner.engine.compare import plan_fit, ratio_text, with_plan_hypervisor
from hvplanner.engine.sizing import HostShape, size
from hvplanner.formats.planfile import load_plan
from hvplanner.model.plan import VM, HostModel, Policy

SMT_HOST = HostModel(id="2s10c", sockets=2, cores_per_socket=10, threads_per_core=2, ghz=2.4,
                     ram_gb=1024)  # fmt: skip


def test_kvm_guidance_is_per_physical_core_not_per_logical_processor():
    # Red Hat: no more than 10 vCPUs per physical core. 2 × 10 cores = 20 cores hold 200
    # vCPUs; 400 vCPUs need 2 hosts, although 40 LPs × 10 would have taken them on one.
    kvm = load_catalog().get("kvm@rhel9")
    assert kvm.limits.vcpu_per_lp.per == "physical-core"
    vms = [VM(id="app", count=100, vcpu=4, ram_gb=4)]
    r = size(vms, kvm, Policy(vcpu_per_lp=10), HostShape.of_model(SMT_HOST))
    assert r.vcpu_per_lp == 5
    assert r.logical_processors == 80
    assert r.hosts == 2
    assert "10 per physical core" in r.ratio_basis
    assert "÷ 2 threads per core" in r.ratio_basis
    assert any("capped" in w for w in r.warnings)


def test_without_smt_the_per_core_guidance_is_ten_per_lp():
    kvm = load_catalog().get("kvm@rhel9")
    one_thread = SMT_HOST.model_copy(update={"threads_per_core": 1})
    r = size([VM(id="a", count=100, vcpu=4, ram_gb=4)], kvm, Policy(vcpu_per_lp=10),
             HostShape.of_model(one_thread))  # fmt: skip
    assert (r.vcpu_per_lp, r.hosts) == (10, 2)  # 40 LPs on 20-LP hosts


def test_hyper_v_2008_r2_caps_at_8_or_12_when_every_guest_is_windows_7():
    r2 = load_catalog().get("hyper-v@2008r2")
    win7 = [VM(id="d", count=200, vcpu=1, ram_gb=2, os="windows-7")]
    r = size(win7, r2, Policy(vcpu_per_lp=12))
    assert r.vcpu_per_lp == 12
    assert not any("capped" in w or "above" in w for w in r.warnings)  # supported: no warning
    assert "every guest is windows-7" in r.ratio_basis
    mixed = [*win7, VM(id="s", vcpu=1, ram_gb=2, os="windows-server")]
    r = size(mixed, r2, Policy(vcpu_per_lp=12))
    assert r.vcpu_per_lp == 8
    assert any("capped" in w for w in r.warnings)
    # A windows-client of unknown release is not Windows 7: the 8:1 cap stays.
    client = [VM(id="d", count=200, vcpu=1, ram_gb=2, os="windows-client")]
    assert size(client, r2, Policy(vcpu_per_lp=12)).vcpu_per_lp == 8


def test_hyper_v_2016_and_later_impose_no_ratio():
    cat = load_catalog()
    for key in ("hyper-v@2016", "hyper-v@2019", "hyper-v@2022", "hyper-v@2025"):
        p = cat.get(key)
        assert p.limits.vcpu_per_lp.none_imposed
        r = size([VM(id="v", count=64, vcpu=4, ram_gb=1)], p, Policy(vcpu_per_lp=16))
        assert r.vcpu_per_lp == 16
        assert "imposes no ratio" in r.ratio_basis


def test_no_plan_ratio_gives_one_stated_default_to_every_hypervisor():
    cat = load_catalog()
    for p in cat.ordered():
        a = resolve(Policy(), p)
        assert a.ratio.value == DEFAULT_VCPU_PER_LP
        assert a.ratio.origin == "assumed"
        assert "stated default" in a.ratio.note


def test_seed_sample_hosts_differ_only_where_a_published_limit_binds(seed_sample):
    plan = load_plan(seed_sample)
    fits = {f.key: f for f in plan_fit(plan, load_catalog().ordered())}
    own = fits[plan.hypervisor]
    assert own.hosts == 1
    for f in fits.values():
        assert f.ratio_basis  # every column says which ratio it used
        if f.hosts != own.hosts:
            assert "capped" in f.ratio_basis or f.limits_exceeded, f
        else:
            assert f.vcpu_per_lp == plan.policy.vcpu_per_lp or "capped" in f.ratio_basis
    # KVM's per-core guidance binds on the sample's 2-way SMT host: 5 per LP → 40 LPs > 32.
    assert (fits["kvm@rhel9"].vcpu_per_lp, fits["kvm@rhel9"].hosts) == (5, 2)
    assert ratio_text(fits["kvm@rhel9"]) == "5:1 (capped)"
    assert ratio_text(fits["esxi@8.0"]) == "8:1"
    unset = plan.model_copy(update={"policy": plan.policy.model_copy(update={"vcpu_per_lp": None})})
    assert ratio_text(plan_fit(unset, [load_catalog().get("esxi@8.0")])[0]) == "1:1 (default)"
    for key in ("esxi@8.0", "hyper-v@2016", "xen-hvm@4", "virtualbox@7"):
        assert (fits[key].vcpu_per_lp, fits[key].hosts) == (8, 1)


def test_plan_hypervisor_is_always_a_column(seed_sample):
    plan = load_plan(seed_sample)
    cat = load_catalog()
    cols = with_plan_hypervisor(plan, [cat.get("kvm")], cat.ordered())
    assert [p.key for p in cols] == [plan.hypervisor, "kvm@rhel9"]
    assert with_plan_hypervisor(plan, cols, cat.ordered()) == cols


def test_cli_compare_shows_the_ratio_basis_per_column(capsys, seed_sample):
    assert main(["compare", "--plan", str(seed_sample)]) == 0
    out = capsys.readouterr().out
    assert "vCPU:LP ratio used" in out
    assert "Ratio basis" in out
