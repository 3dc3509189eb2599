#!/usr/bin/env python3
"""Generates the sample district deploy/sample/district.textpb (zhiwang.v1.District,
protobuf text format), deterministically: the same seed gives the same bytes.

Modelled on Futian district (福田区, 440304) per the seed: 10 streets, 95 communities,
1,000 grids whose polygons tile the district exactly (a jittered lattice: neighbouring
grids share their vertices, so borders are shared), 41 departments at street and district
level, 69 minor categories under the national urban-management major classes, a dispatch
centre per street and one for the district, and routing rules at district, street,
community and grid scope. Names of streets are Futian's; communities and grids are
illustrative. See docs/organisation.md.

Usage: tools/orggen/orggen.py [--seed N] [--out FILE]   (default: stdout)
"""
import argparse
import random
import sys

DISTRICT = ("440304", "福田区")
# (suffix, name, communities). The first three keep the ids of the earlier sample.
STREETS = [
    ("001", "福田街道", 10), ("002", "沙头街道", 9), ("003", "梅林街道", 10),
    ("004", "园岭街道", 9), ("005", "南园街道", 10), ("006", "华富街道", 9),
    ("007", "香蜜湖街道", 10), ("008", "莲花街道", 9), ("009", "福保街道", 10),
    ("010", "华强北街道", 9),
]
# Names of the first communities of some streets (the earlier sample's); the rest are
# "<street stem>第N社区".
KNOWN_COMMUNITIES = {
    "001": ["福山社区", "岗厦社区"], "002": ["沙头社区", "上沙社区"],
    "003": ["上梅林社区", "梅林一村社区"],
}
# Street offices: (suffix, name).
STREET_OFFICES = [("cgb", "城管办"), ("aqb", "安全生产监督管理办公室"), ("zzb", "综治办")]
# District bureaus: (suffix, name).
BUREAUS = [
    ("cgj", "福田区城市管理和综合执法局"), ("swj", "福田区水务局"),
    ("zjj", "福田区住房和建设局"), ("scjgj", "福田区市场监督管理局"),
    ("gafj", "福田区公安分局"), ("yjglj", "福田区应急管理局"), ("sfj", "福田区司法局"),
    ("ghzyj", "福田区规划和自然资源局"), ("jtysj", "福田区交通运输局"),
    ("sthjj", "福田区生态环境局"), ("wjj", "福田区卫生健康局"),
]
N, U, E = "URGENCY_NORMAL", "URGENCY_URGENT", "URGENCY_EMERGENCY"
# (code, name, urgency, street office or None, district bureaus in order, district-level)
# Codes 0101…0901 of the earlier sample keep their meaning. Never reuse a code.
MAJORS = {"01": "市容环境", "02": "宣传广告", "03": "施工管理", "04": "街面秩序",
          "05": "突发事件", "06": "市场监管", "07": "房屋管理", "08": "矛盾纠纷",
          "09": "安全隐患", "10": "公用设施", "11": "园林绿化", "12": "环境保护"}
CATEGORIES = [
    ("0101", "暴露垃圾", N, "cgb", ["cgj"], False),
    ("0102", "积存垃圾渣土", N, "cgb", ["cgj"], False),
    ("0103", "道路不洁", N, "cgb", ["cgj"], False),
    ("0104", "道路积水", U, None, ["swj", "cgj"], False),
    ("0105", "垃圾满溢", N, "cgb", ["cgj"], False),
    ("0106", "焚烧垃圾", N, "cgb", ["sthjj"], False),
    ("0107", "乱倒污水", N, "cgb", ["swj"], False),
    ("0108", "动物尸体", N, "cgb", ["cgj"], False),
    ("0109", "公厕不洁", N, "cgb", ["cgj"], False),
    ("0201", "违规户外广告", N, None, ["cgj"], False),
    ("0202", "非法小广告", N, "cgb", ["cgj"], False),
    ("0203", "违规张贴悬挂横幅", N, "cgb", ["cgj"], False),
    ("0204", "广告牌破损", U, None, ["cgj"], False),
    ("0205", "违规LED显示屏", N, None, ["cgj"], False),
    ("0301", "违法建设", U, None, ["zjj", "cgj"], False),
    ("0302", "施工扰民", N, None, ["zjj"], False),
    ("0303", "工地扬尘", N, "cgb", ["zjj", "sthjj"], False),
    ("0304", "施工占道", N, "cgb", ["zjj", "jtysj"], False),
    ("0305", "渣土车违规", N, None, ["cgj", "jtysj"], False),
    ("0306", "工地围挡破损", N, None, ["zjj"], False),
    ("0401", "占道经营", N, "cgb", ["cgj"], False),
    ("0402", "非机动车乱停放", N, None, ["gafj"], False),
    ("0403", "店外经营", N, "cgb", ["cgj"], False),
    ("0404", "流动摊贩", N, "cgb", ["cgj"], False),
    ("0405", "乱晾晒", N, "cgb", [], False),
    ("0406", "机动车乱停放", N, None, ["gafj"], False),
    ("0407", "露天烧烤", N, "cgb", ["sthjj"], False),
    ("0501", "井盖缺失", E, None, ["swj", "cgj"], False),
    ("0502", "路面塌陷", E, None, ["zjj", "yjglj"], True),
    ("0503", "燃气泄漏", E, None, ["yjglj", "zjj"], True),
    ("0504", "供水管爆裂", E, None, ["swj"], True),
    ("0505", "树木倒伏", U, "cgb", ["cgj"], False),
    ("0506", "道路交通事故", E, None, ["gafj", "jtysj"], True),
    ("0601", "无照经营", N, None, ["scjgj"], False),
    ("0602", "食品安全", U, None, ["scjgj"], False),
    ("0603", "价格违法", N, None, ["scjgj"], False),
    ("0604", "虚假宣传", N, None, ["scjgj"], False),
    ("0605", "特种设备隐患", U, None, ["scjgj", "yjglj"], False),
    ("0606", "药品安全", U, None, ["scjgj", "wjj"], False),
    ("0701", "房屋安全隐患", U, None, ["zjj", "yjglj"], False),
    ("0702", "违规群租", N, "zzb", ["zjj", "gafj"], False),
    ("0703", "物业纠纷", N, "zzb", ["zjj"], False),
    ("0704", "电梯故障", U, None, ["scjgj"], False),
    ("0705", "外墙脱落", U, None, ["zjj"], False),
    ("0801", "邻里纠纷", N, None, ["sfj", "gafj"], False),
    ("0802", "劳资纠纷", N, "zzb", ["sfj"], False),
    ("0803", "家庭纠纷", N, "zzb", ["sfj"], False),
    ("0804", "消费纠纷", N, None, ["scjgj"], False),
    ("0805", "土地权属纠纷", N, None, [], False),
    ("0901", "消防通道堵塞", U, None, ["yjglj", "gafj"], False),
    ("0902", "电动车违规充电", U, "aqb", ["yjglj"], False),
    ("0903", "危险化学品", E, None, ["yjglj"], True),
    ("0904", "高空坠物隐患", U, "aqb", ["zjj"], False),
    ("0905", "消防设施损坏", U, "aqb", ["yjglj"], False),
    ("0906", "三小场所隐患", U, "aqb", ["yjglj"], False),
    ("1001", "路灯损坏", N, None, ["cgj"], False),
    ("1002", "道路破损", N, None, ["jtysj", "zjj"], False),
    ("1003", "护栏损坏", N, None, ["jtysj"], False),
    ("1004", "交通标志损坏", N, None, ["gafj", "jtysj"], False),
    ("1005", "公交站亭损坏", N, None, ["jtysj"], False),
    ("1006", "供电设施隐患", U, None, [], False),
    ("1101", "绿地脏乱", N, "cgb", ["cgj"], False),
    ("1102", "树木缺株死亡", N, None, ["cgj"], False),
    ("1103", "毁绿占绿", N, "cgb", ["cgj"], False),
    ("1104", "行道树修剪", N, None, ["cgj"], False),
    ("1201", "噪声污染", N, None, ["sthjj", "gafj"], False),
    ("1202", "油烟污染", N, "cgb", ["sthjj"], False),
    ("1203", "水体污染", U, None, ["sthjj", "swj"], False),
    ("1204", "废气排放", N, None, ["sthjj"], False),
]
# The district's extent (Futian, roughly) and the lattice: 4 columns per street, 25 rows.
LAT0, LAT1, LNG0, LNG1 = 22.5100, 22.5750, 114.0000, 114.1000
COLS_PER_STREET, ROWS = 4, 25
JITTER = 0.25  # of a cell, for interior lattice vertices


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def lattice(rng):
    """Vertex (col, row) → (lat, lng); interior vertices jittered, boundary ones straight."""
    ncols = COLS_PER_STREET * len(STREETS)
    dlng = (LNG1 - LNG0) / ncols
    dlat = (LAT1 - LAT0) / ROWS
    v = {}
    for r in range(ROWS + 1):
        for c in range(ncols + 1):
            lat = LAT0 + r * dlat
            lng = LNG0 + c * dlng
            if 0 < r < ROWS:
                lat += (rng.random() * 2 - 1) * JITTER * dlat
            if 0 < c < ncols:
                lng += (rng.random() * 2 - 1) * JITTER * dlng
            v[(c, r)] = (round(lat, 6), round(lng, 6))
    return v


def split(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def generate(seed):
    rng = random.Random(seed)
    v = lattice(rng)
    did, dname = DISTRICT
    out = []
    w = out.append
    w("# proto-file: zhiwang/v1/organisation.proto")
    w("# proto-message: zhiwang.v1.District")
    w("#")
    w("# GENERATED by tools/orggen/orggen.py --seed %d; do not edit by hand (a test re-runs" % seed)
    w("# the generator and compares). Modelled on Futian district (福田区): 10 streets,")
    w("# 95 communities, 1,000 grids (a jittered lattice tiling the district), 41 departments,")
    w("# 69 categories, routing rules at district, street, community and grid scope.")
    w("# See docs/organisation.md and docs/routing.md.")
    w("")
    w("id: %s" % q(did))
    w("name: %s" % q(dname))
    w("routing_settings { max_rejections: 2 duplicate_radius_m: 250 duplicate_window_s: 86400 "
      "recategorise_clock: RECATEGORISE_CLOCK_RESTART }")
    w("")
    w("# ---------------------------------------------------------------- streets 街道")
    for suf, name, _ in STREETS:
        w("streets { id: %s name: %s }" % (q(did + suf), q(name)))
    communities = []  # (street index, community id, name)
    for si, (suf, sname, n) in enumerate(STREETS):
        known = KNOWN_COMMUNITIES.get(suf, [])
        stem = sname[:-2]
        for k in range(n):
            cid = "%s%s%03d" % (did, suf, k + 1)
            name = known[k] if k < len(known) else "%s第%d社区" % (stem, k + 1)
            communities.append((si, cid, name))
    w("")
    w("# ---------------------------------------------------------------- communities 社区")
    for si, cid, name in communities:
        w("communities { id: %s name: %s street_id: %s }" % (q(cid), q(name), q(cid[:9])))
    w("")
    w("# ---------------------------------------------------------------- grids 网格")
    w("# One lattice cell each; vertices counter-clockwise from the south-west corner.")
    grids = []  # (grid id, community id, cells)
    for si, (suf, sname, n) in enumerate(STREETS):
        cells = [(si * COLS_PER_STREET + c, r) for r in range(ROWS) for c in range(COLS_PER_STREET)]
        sizes = split(len(cells), n)
        start = 0
        for k, size in enumerate(sizes):
            cid = "%s%s%03d" % (did, suf, k + 1)
            cname = [c for c in communities if c[1] == cid][0][2]
            for g, (c, r) in enumerate(cells[start:start + size]):
                gid = "%s%03d" % (cid, g + 1)
                corners = [v[(c, r)], v[(c + 1, r)], v[(c + 1, r + 1)], v[(c, r + 1)]]
                poly = " ".join("polygon { lat: %.6f lng: %.6f }" % p for p in corners)
                w("grids { id: %s name: %s community_id: %s %s }" %
                  (q(gid), q("%s第%d网格" % (cname, g + 1)), q(cid), poly))
                grids.append((gid, cid))
            start += size
    w("")
    w("# ---------------------------------------------------------------- departments 职能部门")
    w("# Street level: three offices per street, working in their street.")
    for suf, sname, _ in STREETS:
        sid = did + suf
        for osuf, oname in STREET_OFFICES:
            handled = [c[0] for c in CATEGORIES if c[3] == osuf]
            w("departments { id: %s name: %s level: DEPARTMENT_LEVEL_STREET street_id: %s "
              "category_codes: [%s] }" % (q(sid + "_" + osuf), q(sname + oname), q(sid),
                                           ", ".join(q(h) for h in handled)))
    w("# District level: bureaus working in the whole district.")
    for bsuf, bname in BUREAUS:
        handled = [c[0] for c in CATEGORIES if bsuf in c[4]]
        integration = ""
        if bsuf == "swj":
            integration = " integration { mode: INTEGRATION_MODE_STREAM }"
        w("departments { id: %s name: %s level: DEPARTMENT_LEVEL_DISTRICT category_codes: [%s]%s }"
          % (q(did + "_" + bsuf), q(bname), ", ".join(q(h) for h in handled), integration))
    w("")
    w("# ---------------------------------------------------------------- dispatch centres 分拨中心")
    for suf, sname, _ in STREETS:
        w("dispatch_centres { id: %s name: %s level: DEPARTMENT_LEVEL_STREET street_id: %s }" %
          (q(did + suf + "_fbzx"), q(sname + "分拨中心"), q(did + suf)))
    w("dispatch_centres { id: %s name: %s level: DEPARTMENT_LEVEL_DISTRICT }" %
      (q(did + "_fbzx"), q(dname + "分拨中心")))
    w("")
    w("# ---------------------------------------------------------------- categories 事件分类")
    w("# Codes: two digits of major class, two of minor class. Stable; never reuse a code.")
    for code, name, urg, _, _, dl in CATEGORIES:
        w("categories { code: %s name: %s major: %s default_urgency: %s%s }" %
          (q(code), q(name), q(MAJORS[code[:2]]), urg, " district_level: true" if dl else ""))
    w("")
    w("# ---------------------------------------------------------------- routing 分拨规则")
    w("# Most specific scope wins (grid > community > street > district), then priority.")
    w("# District scope: the bureaus, in order.")
    for code, _, _, office, bureaus, _ in CATEGORIES:
        if bureaus:
            w("routing_rules { id: %s category_code: %s scope: AREA_SCOPE_DISTRICT "
              "department_ids: [%s] }" % (q("d-" + code), q(code),
                                           ", ".join(q(did + "_" + b) for b in bureaus)))
    w("# Street scope: the street's office first, then the first bureau.")
    for suf, _, _ in STREETS:
        sid = did + suf
        for code, _, _, office, bureaus, dl in CATEGORIES:
            if office and not dl:
                deps = [sid + "_" + office] + [did + "_" + b for b in bureaus[:1]]
                w("routing_rules { id: %s category_code: %s scope: AREA_SCOPE_STREET area_id: %s "
                  "department_ids: [%s] }" % (q("s-%s-%s" % (suf, code)), q(code), q(sid),
                                               ", ".join(q(d) for d in deps)))
    w("# Community scope: low-lying communities send standing water (0104) to the street's")
    w("# urban-management office first (it has pumps on call).")
    for si, cid, _ in communities:
        if cid.endswith("001") and si % 2 == 1:
            sid = cid[:9]
            w("routing_rules { id: %s category_code: \"0104\" scope: AREA_SCOPE_COMMUNITY "
              "area_id: %s department_ids: [%s, %s] }" %
              (q("c-%s-0104" % cid), q(cid), q(sid + "_cgb"), q(did + "_swj")))
    w("# Grid scope: market grids send unlicensed trading (0601) to the street's office,")
    w("# with two rules of different priority on one grid to show the tie-break.")
    market = [g for g, _ in grids if g.endswith("005")][:10]
    for gid in market:
        sid = gid[:9]
        w("routing_rules { id: %s category_code: \"0601\" scope: AREA_SCOPE_GRID area_id: %s "
          "priority: 10 department_ids: [%s, %s] }" %
          (q("g-%s-0601" % gid), q(gid), q(sid + "_cgb"), q(did + "_scjgj")))
    gid = market[0]
    w("routing_rules { id: %s category_code: \"0601\" scope: AREA_SCOPE_GRID area_id: %s "
      "priority: 5 department_ids: [%s] }" % (q("g-%s-0601-low" % gid), q(gid), q(did + "_scjgj")))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=440304)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    text = generate(a.seed)
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
