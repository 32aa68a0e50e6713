"""Xiamen 2022 Quality Month demo campaign, after the report in shared/seed."""

CAMPAIGN = {
    "year": 2022,
    "theme": "推动质量变革创新 促进质量强市建设",
    "slogan": "民生至上 品质厦门",
    "description": (
        "2022年9月，厦门市围绕“推动质量变革创新 促进质量强市建设”主题开展“质量月”活动，"
        "由厦门市市场监督管理局牵头，市公安局、市建设局、市文化和旅游局、市卫生健康委员会等"
        "16家单位共同组织。活动覆盖农业、产品、服务、交通、工程、文化、旅游、医疗、金融等领域，"
        "线上线下结合推出70余项活动，其中市场监管系统从质量宣传教育、质量提升、质量监管和"
        "质量基础设施协同服务四个方面组织40余项主题活动。全市行业协会和企业也结合自身实际"
        "踊跃参与，共同营造人人关心质量、追求质量的社会氛围。"
    ),
}

REGIONS = {
    "province": {"code": "350000", "name": "福建省", "name_en": "Fujian Province"},
    "city": {"code": "350200", "name": "厦门市", "name_en": "Xiamen"},
    "districts": [
        {"code": "350203", "name": "思明区", "name_en": "Siming District"},
        {"code": "350205", "name": "海沧区", "name_en": "Haicang District"},
        {"code": "350206", "name": "湖里区", "name_en": "Huli District"},
        {"code": "350211", "name": "集美区", "name_en": "Jimei District"},
        {"code": "350212", "name": "同安区", "name_en": "Tong'an District"},
        {"code": "350213", "name": "翔安区", "name_en": "Xiang'an District"},
    ],
}

LEAD_UNIT = "amr"

UNITS = [
    # Lead unit.
    {
        "code": "amr",
        "name": "厦门市市场监督管理局",
        "name_en": "Xiamen Administration for Market Regulation",
        "short_name": "市市场监管局",
        "kind": "market_supervision",
        "co_organiser": False,
    },
    # The 16 co-organising units.
    {
        "code": "police",
        "name": "厦门市公安局",
        "name_en": "Xiamen Public Security Bureau",
        "short_name": "市公安局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "construction",
        "name": "厦门市建设局",
        "name_en": "Xiamen Construction Bureau",
        "short_name": "市建设局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "culture_tourism",
        "name": "厦门市文化和旅游局",
        "name_en": "Xiamen Bureau of Culture and Tourism",
        "short_name": "市文旅局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "health",
        "name": "厦门市卫生健康委员会",
        "name_en": "Xiamen Municipal Health Commission",
        "short_name": "市卫健委",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "education",
        "name": "厦门市教育局",
        "name_en": "Xiamen Education Bureau",
        "short_name": "市教育局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "industry",
        "name": "厦门市工业和信息化局",
        "name_en": "Xiamen Bureau of Industry and Information Technology",
        "short_name": "市工信局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "transport",
        "name": "厦门市交通运输局",
        "name_en": "Xiamen Transportation Bureau",
        "short_name": "市交通运输局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "agriculture",
        "name": "厦门市农业农村局",
        "name_en": "Xiamen Bureau of Agriculture and Rural Affairs",
        "short_name": "市农业农村局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "ocean",
        "name": "厦门市海洋发展局",
        "name_en": "Xiamen Ocean Development Bureau",
        "short_name": "市海洋发展局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "commerce",
        "name": "厦门市商务局",
        "name_en": "Xiamen Bureau of Commerce",
        "short_name": "市商务局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "finance",
        "name": "厦门市地方金融监督管理局",
        "name_en": "Xiamen Local Financial Supervision and Administration",
        "short_name": "市金融监管局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "development_reform",
        "name": "厦门市发展和改革委员会",
        "name_en": "Xiamen Development and Reform Commission",
        "short_name": "市发改委",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "science_technology",
        "name": "厦门市科学技术局",
        "name_en": "Xiamen Science and Technology Bureau",
        "short_name": "市科技局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "municipal_gardens",
        "name": "厦门市市政园林局",
        "name_en": "Xiamen Municipal Administration and Landscaping Bureau",
        "short_name": "市市政园林局",
        "kind": "government",
        "co_organiser": True,
    },
    {
        "code": "trade_union",
        "name": "厦门市总工会",
        "name_en": "Xiamen Federation of Trade Unions",
        "short_name": "市总工会",
        "kind": "association",
        "co_organiser": True,
    },
    {
        "code": "youth_league",
        "name": "共青团厦门市委员会",
        "name_en": "Xiamen Municipal Committee of the Communist Youth League",
        "short_name": "团市委",
        "kind": "association",
        "co_organiser": True,
    },
    # Quality-infrastructure institutions of the market-supervision system.
    {
        "code": "metrology",
        "name": "厦门市计量检定测试院",
        "name_en": "Xiamen Institute of Measurement and Testing",
        "short_name": "市计量院",
        "kind": "nqi",
        "co_organiser": False,
    },
    {
        "code": "product_inspection",
        "name": "厦门市产品质量监督检验院",
        "name_en": "Xiamen Institute of Product Quality Supervision and Inspection",
        "short_name": "市产品质检院",
        "kind": "nqi",
        "co_organiser": False,
    },
    {
        "code": "special_equipment",
        "name": "厦门市特种设备检验检测院",
        "name_en": "Xiamen Special Equipment Inspection Institute",
        "short_name": "市特检院",
        "kind": "nqi",
        "co_organiser": False,
    },
    {
        "code": "standardization",
        "name": "厦门市标准化研究院",
        "name_en": "Xiamen Institute of Standardization",
        "short_name": "市标准化院",
        "kind": "nqi",
        "co_organiser": False,
    },
    # Associations.
    {
        "code": "consumer_council",
        "name": "厦门市消费者委员会",
        "name_en": "Xiamen Consumer Council",
        "short_name": "市消委会",
        "kind": "association",
        "co_organiser": False,
    },
    {
        "code": "optics_association",
        "name": "厦门市眼镜协会",
        "name_en": "Xiamen Eyewear Association",
        "short_name": "市眼镜协会",
        "kind": "association",
        "co_organiser": False,
    },
]

FOCUS_AREAS = [
    {"code": "education", "name": "开展质量宣传教育", "name_en": "Quality publicity and education"},
    {"code": "improvement", "name": "深化质量提升行动", "name_en": "Deepening quality improvement"},
    {
        "code": "supervision",
        "name": "强化质量监管效能",
        "name_en": "Strengthening quality supervision",
    },
    {
        "code": "infrastructure",
        "name": "强化质量基础设施协同服务",
        "name_en": "Coordinated quality-infrastructure services",
    },
]

DOMAINS = [
    {"code": "agriculture", "name": "农业", "name_en": "Agriculture"},
    {"code": "product", "name": "产品", "name_en": "Products"},
    {"code": "service", "name": "服务", "name_en": "Services"},
    {"code": "transport", "name": "交通", "name_en": "Transport"},
    {"code": "engineering", "name": "工程", "name_en": "Construction works"},
    {"code": "culture", "name": "文化", "name_en": "Culture"},
    {"code": "tourism", "name": "旅游", "name_en": "Tourism"},
    {"code": "medical", "name": "医疗", "name_en": "Healthcare"},
    {"code": "finance", "name": "金融", "name_en": "Finance"},
]

ACTIVITIES = [
    # ------------------------------------------------------------------
    # Themed activities of the market-supervision system: 开展质量宣传教育
    # ------------------------------------------------------------------
    {
        "title": "2022年厦门市“质量月”活动启动仪式",
        "unit": "amr",
        "co_units": ["industry", "commerce"],
        "domains": ["product", "service"],
        "focus": "education",
        "kind": "hybrid",
        "type": "other",
        "day": 1,
        "start": "09:30",
        "hours": 1.5,
        "district": "思明区",
        "venue": "厦门国际会议中心（同步网络直播）",
        "capacity": 200,
        "themed": True,
        "summary": "全市“质量月”活动正式启动，发布活动安排并向企业代表发出质量诚信倡议。",
        "description": (
            "启动仪式通报今年“质量月”的总体安排和重点活动，16家联合主办单位负责同志共同启动活动。"
            "现场邀请质量标杆企业代表宣读质量诚信倡议书，并为优秀质量案例颁发证书。"
            "企业代表、行业协会和市民代表均可报名到场，也可通过网络直播同步观看。"
        ),
    },
    {
        "title": "“美好生活，质量引领”微视频创作大赛",
        "unit": "amr",
        "co_units": ["youth_league"],
        "domains": ["culture", "service", "product"],
        "focus": "education",
        "kind": "online",
        "type": "contest",
        "day": 1,
        "start": "10:00",
        "days": 28,
        "district": None,
        "venue": "线上作品征集（官方微信公众号）",
        "capacity": None,
        "themed": True,
        "summary": "面向全体市民征集反映身边质量故事的原创微视频，用镜头记录品质生活。",
        "description": (
            "大赛围绕“美好生活，质量引领”主题，征集3分钟以内的原创微视频，"
            "内容可以是企业的质量攻关、工匠的坚守，也可以是市民身边的放心消费故事。"
            "作品经专家评审和网络投票评出一、二、三等奖，优秀作品将在官方平台集中展播。"
        ),
    },
    {
        "title": "质量知识竞答（线上答题）",
        "unit": "amr",
        "co_units": [],
        "domains": ["product", "service", "agriculture"],
        "focus": "education",
        "kind": "online",
        "type": "contest",
        "day": 5,
        "start": "10:00",
        "days": 20,
        "district": None,
        "venue": "官方微信公众号答题平台",
        "capacity": None,
        "themed": True,
        "summary": "线上答题普及产品质量、计量标准和消费维权常识，成绩优异者晋级现场决赛。",
        "description": (
            "题库涵盖产品质量安全、计量与标准化、食品安全和消费维权等常识，每天可答题一次。"
            "答题不设门槛，市民用手机即可参与，累计得分靠前的选手将受邀参加月底的现场决赛。"
            "参与答题还有机会获得质量科普读物等纪念品。"
        ),
    },
    {
        "title": "质量知识竞答现场决赛",
        "unit": "amr",
        "co_units": ["education"],
        "domains": ["product", "service"],
        "focus": "education",
        "kind": "hybrid",
        "type": "contest",
        "day": 28,
        "start": "14:30",
        "hours": 2.5,
        "district": "集美区",
        "venue": "集美大学学术报告厅（同步网络直播）",
        "capacity": 150,
        "themed": True,
        "summary": "线上答题成绩优异的选手同台竞技，设必答、抢答和风险题环节，观众可到场助威。",
        "description": (
            "决赛由线上答题累计得分靠前的选手组队参加，分必答、抢答和风险题三个环节。"
            "题目贴近日常生活，兼顾趣味性和知识性，现场还穿插观众互动答题。"
            "欢迎市民和师生报名到场观赛，决赛过程同步网络直播。"
        ),
    },
    {
        "title": "厦门质量品牌故事“云展播”",
        "unit": "amr",
        "co_units": [],
        "domains": ["product", "culture"],
        "focus": "education",
        "kind": "online",
        "type": "exhibition",
        "day": 2,
        "start": "10:00",
        "days": 28,
        "district": None,
        "venue": "官方微信公众号及视频号",
        "capacity": None,
        "themed": True,
        "summary": "每天推出一个本地质量品牌故事，展示厦门企业追求卓越质量的历程与经验。",
        "description": (
            "“云展播”以短视频和图文形式，讲述获得政府质量奖、“厦门制造”品牌企业的质量故事。"
            "内容涵盖制造业、服务业和农业等领域，突出企业在质量管理和技术创新方面的做法。"
            "市民可随时在线观看、点赞和留言，分享自己心目中的厦门品质品牌。"
        ),
    },
    {
        "title": "质量科普进社区·思明站",
        "unit": "amr",
        "co_units": ["consumer_council"],
        "domains": ["product", "service"],
        "focus": "education",
        "kind": "offline",
        "type": "consultation",
        "day": 17,
        "start": "09:30",
        "hours": 3,
        "district": "思明区",
        "venue": "中山路步行街公益宣传点",
        "capacity": None,
        "themed": True,
        "summary": "在步行街设置质量科普展台，现场讲解产品标识、认证标志和家用电器安全常识。",
        "description": (
            "活动结合全国科普日，在中山路步行街设置质量科普展台和互动体验区。"
            "工作人员现场演示如何辨识强制性产品认证标志、读懂产品标签，并解答市民的消费疑问。"
            "参与互动问答的市民可领取质量科普手册和小礼品。"
        ),
    },
    {
        "title": "质量科普进校园·集美站",
        "unit": "amr",
        "co_units": ["education"],
        "domains": ["product", "culture"],
        "focus": "education",
        "kind": "offline",
        "type": "lecture",
        "day": 21,
        "start": "15:00",
        "hours": 1.5,
        "district": "集美区",
        "venue": "集美区某小学多功能厅",
        "capacity": 120,
        "themed": True,
        "summary": "为小学生讲授文具、玩具和校服的质量安全知识，培养孩子的质量意识。",
        "description": (
            "检验人员带着常见的学生用品走进课堂，用简单的小实验讲解文具、玩具和校服的安全要求。"
            "孩子们将学会查看产品标签、识别“三无”产品，并把安全常识带回家与家长分享。"
            "活动面向小学中高年级学生，由学校统一组织报名。"
        ),
    },
    {
        "title": "质量科普直播课：读懂产品标签与认证标志",
        "unit": "product_inspection",
        "co_units": [],
        "domains": ["product"],
        "focus": "education",
        "kind": "online",
        "type": "lecture",
        "day": 14,
        "start": "19:30",
        "hours": 1,
        "district": None,
        "venue": "线上直播（官方视频号）",
        "capacity": None,
        "themed": True,
        "summary": "检验专家在线讲解产品标签、执行标准和认证标志的含义，教市民买得明白。",
        "description": (
            "市产品质检院的检验工程师结合儿童用品、小家电和纺织品等常见商品，"
            "逐项讲解产品标签上的执行标准、成分含量、安全警示和认证标志。"
            "直播设置在线答疑环节，观众可就选购中遇到的困惑直接提问。"
        ),
    },
    {
        "title": "药品安全与合理用药社区讲座",
        "unit": "amr",
        "co_units": ["health"],
        "domains": ["medical"],
        "focus": "education",
        "kind": "offline",
        "type": "lecture",
        "day": 8,
        "start": "15:00",
        "hours": 1.5,
        "district": "湖里区",
        "venue": "湖里区某社区党群服务中心",
        "capacity": 100,
        "themed": True,
        "summary": "药学专家走进社区讲解家庭药箱管理和合理用药知识，提醒市民警惕虚假宣传。",
        "description": (
            "讲座邀请医院药学专家和监管人员，介绍家庭常备药品的储存、过期药品的处理方法，"
            "以及老年人、儿童用药的注意事项。"
            "节目还将剖析保健食品和药品虚假宣传的常见套路，帮助市民理性消费。讲座主要面向社区老年居民，现场可咨询个人用药问题。"
        ),
    },
    {
        "title": "食品生产企业食品安全管理员线上培训",
        "unit": "amr",
        "co_units": [],
        "domains": ["product", "agriculture"],
        "focus": "improvement",
        "kind": "online",
        "type": "training",
        "day": 26,
        "start": "14:30",
        "hours": 2.5,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 300,
        "themed": True,
        "summary": "围绕《中华人民共和国食品安全法》讲解企业主体责任，提升食品安全管理员的履职能力。",
        "description": (
            "培训解读食品生产企业在原料控制、过程管理、出厂检验和不合格品召回等方面的法定义务，"
            "并介绍企业开展食品安全自查和风险隐患排查的常用方法。"
            "课程结束后安排在线测试，帮助食品安全管理员查漏补缺。"
        ),
    },
    {
        "title": "企业质量开放日：走进食品生产车间",
        "unit": "amr",
        "co_units": [],
        "domains": ["product", "agriculture"],
        "focus": "education",
        "kind": "offline",
        "type": "open_day",
        "day": 24,
        "start": "09:30",
        "hours": 2.5,
        "district": "海沧区",
        "venue": "海沧区某食品生产企业",
        "capacity": 30,
        "themed": True,
        "summary": "邀请市民走进食品企业生产车间和检验室，实地了解食品从原料到成品的质量控制。",
        "description": (
            "参观者将沿参观通道了解原料验收、生产加工、出厂检验等关键环节，"
            "并在企业检验室观看常规项目的检测过程。"
            "企业质量负责人现场解答市民关心的添加剂、保质期等问题。名额有限，需提前报名。"
        ),
    },
    {
        "title": "典型案件曝光：质量违法典型案例集中发布",
        "unit": "amr",
        "co_units": ["police"],
        "domains": ["product", "service"],
        "focus": "supervision",
        "kind": "online",
        "type": "other",
        "day": 15,
        "start": "10:00",
        "hours": 1,
        "district": None,
        "venue": "官方网站及微信公众号",
        "capacity": None,
        "themed": True,
        "summary": "集中公布一批产品质量、食品安全和特种设备领域的典型违法案件，形成警示震慑。",
        "description": (
            "本次发布选取近年来查办的产品质量、食品安全、特种设备和计量领域典型案件，"
            "逐一说明违法事实、处罚依据和处理结果。"
            "通过以案释法，提醒经营者守法诚信经营，也帮助消费者增强辨别能力。"
        ),
    },
    {
        "title": "质量“关键小事”消费维权进商圈",
        "unit": "amr",
        "co_units": ["consumer_council", "commerce"],
        "domains": ["service", "product"],
        "focus": "supervision",
        "kind": "offline",
        "type": "consultation",
        "day": 25,
        "start": "10:00",
        "hours": 4,
        "district": "湖里区",
        "venue": "SM城市广场前广场",
        "capacity": None,
        "themed": True,
        "summary": "在商圈设立咨询受理台，现场解答消费者质量投诉，推动解决身边的质量小事。",
        "description": (
            "监管人员、消委会工作人员和商户代表在商圈现场受理消费投诉、提供维权咨询。"
            "对家电维修、预付卡消费、商品“三包”等市民反映集中的质量“关键小事”，"
            "能当场调解的当场调解，不能当场解决的登记转办并限期反馈。"
        ),
    },
    # ------------------------------------------------------------------
    # Themed activities: 深化质量提升行动
    # ------------------------------------------------------------------
    {
        "title": "首席质量官培训班",
        "unit": "amr",
        "co_units": ["industry"],
        "domains": ["product"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 6,
        "start": "09:00",
        "hours": 6,
        "district": "湖里区",
        "venue": "火炬高新区（湖里园区）某企业服务中心会议室",
        "capacity": 80,
        "themed": True,
        "summary": "面向企业质量负责人系统讲授质量战略、质量管理体系和质量风险防控的实务要点。",
        "description": (
            "培训班邀请质量管理专家和标杆企业首席质量官授课，内容包括企业质量战略制定、"
            "质量管理体系有效运行、质量成本分析和质量风险防控。"
            "学员以企业分管质量的负责人为主，课后组织分组研讨，完成全部课程者可获得结业证明。"
        ),
    },
    {
        "title": "首席质量官培训班（线上专场）",
        "unit": "amr",
        "co_units": ["industry"],
        "domains": ["product", "service"],
        "focus": "improvement",
        "kind": "online",
        "type": "training",
        "day": 20,
        "start": "14:30",
        "hours": 3,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 300,
        "themed": True,
        "summary": "线上专场聚焦中小企业质量负责人，讲解质量管理基本方法和常见问题的应对。",
        "description": (
            "考虑到中小企业难以脱产参训，本场采用线上直播方式，便于企业质量负责人灵活参加。"
            "课程围绕质量目标分解、过程控制、顾客投诉处理和供应商管理展开，并结合案例讲解。"
            "报名企业可在直播结束后一周内回看课程。"
        ),
    },
    {
        "title": "卓越绩效等先进管理模式方法培训",
        "unit": "amr",
        "co_units": ["industry"],
        "domains": ["product", "service"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 8,
        "start": "09:00",
        "hours": 6,
        "district": "思明区",
        "venue": "厦门软件园二期某会议中心",
        "capacity": 100,
        "themed": True,
        "summary": "围绕GB/T 19580《卓越绩效评价准则》讲解卓越绩效模式的导入与自我评价方法。",
        "description": (
            "培训系统介绍GB/T 19580《卓越绩效评价准则》的框架和评价要点，"
            "并结合精益管理、六西格玛等方法，讲解企业如何开展自我评价、找准改进方向。"
            "政府质量奖获奖企业代表将现场分享导入卓越绩效模式的经验，"
            "适合有意申报质量奖或提升管理水平的企业参加。"
        ),
    },
    {
        "title": "现场实地观摩：走进海沧生物医药企业",
        "unit": "amr",
        "co_units": [],
        "domains": ["medical", "product"],
        "focus": "improvement",
        "kind": "offline",
        "type": "site_visit",
        "day": 13,
        "start": "14:00",
        "hours": 3,
        "district": "海沧区",
        "venue": "海沧生物医药港某医药企业",
        "capacity": 30,
        "themed": True,
        "summary": "组织企业质量管理人员实地观摩生物医药企业的质量管理体系和生产现场。",
        "description": (
            "观摩团将参观企业洁净生产车间、质量控制实验室和数字化质量追溯系统，"
            "了解医药企业如何按照药品生产质量管理规范组织生产。"
            "观摩后安排座谈交流，参观企业可就本单位的质量管理难题与东道企业深入探讨。"
        ),
    },
    {
        "title": "现场实地观摩：智能制造质量管理现场",
        "unit": "amr",
        "co_units": ["industry"],
        "domains": ["product"],
        "focus": "improvement",
        "kind": "offline",
        "type": "site_visit",
        "day": 22,
        "start": "14:00",
        "hours": 3,
        "district": "翔安区",
        "venue": "火炬（翔安）产业区某电子信息企业",
        "capacity": 25,
        "themed": True,
        "summary": "走进电子信息企业智能产线，观摩在线检测、数据采集和质量追溯的实际应用。",
        "description": (
            "观摩内容包括自动光学检测设备、制造执行系统和产品全流程质量追溯平台。"
            "东道企业将介绍通过数字化手段降低不良率、缩短质量问题响应时间的做法。"
            "名额有限，优先安排制造业中小企业的质量和生产管理人员。"
        ),
    },
    {
        "title": "质量品牌优秀经验宣传分享会",
        "unit": "amr",
        "co_units": ["industry", "commerce"],
        "domains": ["product", "service"],
        "focus": "improvement",
        "kind": "hybrid",
        "type": "forum",
        "day": 16,
        "start": "14:30",
        "hours": 2.5,
        "district": "思明区",
        "venue": "厦门国际会展中心会议室（同步网络直播）",
        "capacity": 200,
        "themed": True,
        "summary": "邀请质量奖获奖企业和知名品牌企业分享质量管理与品牌建设的实践经验。",
        "description": (
            "分享会邀请制造业、服务业和农业领域的代表企业，讲述各自在质量攻关、"
            "品牌培育和顾客满意度提升方面的具体做法。"
            "会后设交流环节，参会企业可与分享嘉宾面对面探讨，现场同步网络直播。"
        ),
    },
    {
        "title": "质量专家企业行·同安站",
        "unit": "amr",
        "co_units": ["industry"],
        "domains": ["product"],
        "focus": "improvement",
        "kind": "offline",
        "type": "service_tour",
        "day": 7,
        "start": "09:30",
        "hours": 4,
        "district": "同安区",
        "venue": "同安工业集中区企业现场",
        "capacity": 20,
        "themed": True,
        "summary": "质量专家走进同安工业集中区企业，现场查找质量管理短板并提出改进建议。",
        "description": (
            "专家组由质量管理、检验检测和标准化方面的专业人员组成，按企业报名需求上门服务。"
            "专家将深入生产现场，围绕过程控制、检验把关和质量记录等环节开展诊断，"
            "并出具书面改进建议。本站服务名额有限，先报先得。"
        ),
    },
    {
        "title": "质量专家企业行·翔安站",
        "unit": "amr",
        "co_units": ["industry"],
        "domains": ["product", "engineering"],
        "focus": "improvement",
        "kind": "offline",
        "type": "service_tour",
        "day": 23,
        "start": "09:30",
        "hours": 4,
        "district": "翔安区",
        "venue": "翔安区工业企业现场",
        "capacity": 20,
        "themed": True,
        "summary": "专家团队上门帮助翔安区制造企业解决产品质量波动和检验能力不足等问题。",
        "description": (
            "本站重点服务机械装备、新材料等领域的中小制造企业。"
            "专家将结合企业近期的质量问题，帮助分析原因、制定纠正措施，"
            "并介绍可以利用的检验检测和计量校准资源。"
        ),
    },
    {
        "title": "工业企业质量诊断帮扶行动",
        "unit": "amr",
        "co_units": ["industry", "product_inspection"],
        "domains": ["product"],
        "focus": "improvement",
        "kind": "offline",
        "type": "service_tour",
        "day": 5,
        "start": "09:00",
        "days": 24,
        "district": "集美区",
        "venue": "集美区等工业集中区企业现场",
        "capacity": None,
        "themed": True,
        "summary": "对质量问题较多的工业企业开展“一企一策”诊断帮扶，助力企业降本提质。",
        "description": (
            "帮扶行动聚焦在监督抽查中发现问题较多的企业和重点产业链中小企业，"
            "由监管人员和技术专家组成帮扶小组，逐家开展质量诊断。"
            "针对诊断发现的问题制定“一企一策”改进方案，并在整改后开展回访，确保帮扶取得实效。"
        ),
    },
    {
        "title": "小微企业质量管理体系认证提升辅导",
        "unit": "amr",
        "co_units": [],
        "domains": ["product", "service"],
        "focus": "improvement",
        "kind": "online",
        "type": "training",
        "day": 29,
        "start": "10:00",
        "hours": 2,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 300,
        "themed": True,
        "summary": "帮助小微企业理解质量管理体系要求，避免认证“两张皮”，让体系真正管用。",
        "description": (
            "辅导课程结合GB/T 19001《质量管理体系 要求》，用通俗的案例讲解小微企业如何建立简明实用的管理体系。"
            "课程还将提示选择认证机构时需要注意的问题，防范“买证卖证”等违法行为。"
            "报名企业可在课后提交问题，由讲师统一答复。"
        ),
    },
    {
        "title": "商标品牌培育与质量提升讲座",
        "unit": "amr",
        "co_units": ["commerce"],
        "domains": ["product", "agriculture"],
        "focus": "improvement",
        "kind": "offline",
        "type": "lecture",
        "day": 19,
        "start": "14:30",
        "hours": 2,
        "district": "同安区",
        "venue": "同安区某企业服务中心会议室",
        "capacity": 80,
        "themed": True,
        "summary": "讲解商标注册保护和地理标志运用，帮助企业把质量优势转化为品牌优势。",
        "description": (
            "讲座围绕商标注册、商标保护和地理标志产品的规范使用展开，"
            "结合同安本地特色农产品和制造业企业的案例，说明品牌建设离不开稳定的产品质量。"
            "现场设置咨询环节，企业可就商标注册和维权问题一对一咨询。"
        ),
    },
    {
        "title": "质量认证助企行：绿色产品认证宣讲",
        "unit": "amr",
        "co_units": [],
        "domains": ["product", "engineering"],
        "focus": "improvement",
        "kind": "offline",
        "type": "lecture",
        "day": 30,
        "start": "09:30",
        "hours": 2,
        "district": "海沧区",
        "venue": "海沧区某产业园区会议室",
        "capacity": 60,
        "themed": True,
        "summary": "介绍绿色产品认证的适用范围和申请流程，引导建材、家电企业开展绿色认证。",
        "description": (
            "宣讲会邀请认证机构专家介绍绿色产品认证的目录范围、评价要求和申请流程，"
            "并说明获证产品在政府采购和市场推广中的作用。"
            "建材、家电、纺织等领域企业可现场咨询本企业产品的认证路径。"
        ),
    },
    {
        "title": "电梯维保人员技能培训",
        "unit": "special_equipment",
        "co_units": [],
        "domains": ["service", "engineering"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 27,
        "start": "09:00",
        "hours": 4,
        "district": "海沧区",
        "venue": "海沧区某电梯维保单位培训中心",
        "capacity": 60,
        "themed": True,
        "summary": "检验人员结合检验中发现的常见问题，为电梯维保人员讲解规范保养和故障处置。",
        "description": (
            "培训由市特检院检验人员授课，梳理定期检验中发现的典型隐患和维保不到位问题，"
            "讲解《特种设备安全法》对维保单位的责任要求和规范保养要点。"
            "课程还安排困人救援演示，帮助维保人员提高应急处置能力。"
        ),
    },
    {
        "title": "特种设备使用单位安全管理员培训",
        "unit": "special_equipment",
        "co_units": [],
        "domains": ["product", "engineering"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 15,
        "start": "14:30",
        "hours": 3,
        "district": "翔安区",
        "venue": "火炬（翔安）产业区某企业会议室",
        "capacity": 80,
        "themed": True,
        "summary": "面向工业企业安全管理员讲解锅炉、压力容器和叉车等设备的日常安全管理要求。",
        "description": (
            "培训围绕企业常用的锅炉、压力容器、起重机械和场（厂）内专用机动车辆，"
            "讲解使用登记、定期检验、作业人员持证和隐患自查等日常管理要求。"
            "学员可携带本单位的设备管理台账，现场请检验人员指导完善。"
        ),
    },
    # ------------------------------------------------------------------
    # Themed activities: 强化质量监管效能
    # ------------------------------------------------------------------
    {
        "title": "校园食品安全守护行动",
        "unit": "amr",
        "co_units": ["education"],
        "domains": ["service", "agriculture"],
        "focus": "supervision",
        "kind": "offline",
        "type": "inspection",
        "day": 1,
        "start": "08:30",
        "days": 28,
        "district": "思明区",
        "venue": "全市中小学校、幼儿园食堂及校外供餐单位",
        "capacity": None,
        "themed": True,
        "summary": "开学季对学校食堂和校外供餐单位开展全覆盖检查，守护师生“舌尖上的安全”。",
        "description": (
            "行动期间，市场监管部门会同教育部门对学校食堂、校外供餐单位和校园周边食品经营者开展检查，"
            "重点查看食材进货查验、加工操作规范、餐具清洗消毒和留样等环节。"
            "检查中发现的问题当场督促整改，情节严重的依法查处，检查结果向学校和家长通报。"
        ),
    },
    {
        "title": "校园食品安全守护行动·学校食堂开放日",
        "unit": "amr",
        "co_units": ["education"],
        "domains": ["service", "agriculture"],
        "focus": "supervision",
        "kind": "offline",
        "type": "open_day",
        "day": 20,
        "start": "11:00",
        "hours": 2,
        "district": "翔安区",
        "venue": "翔安区某中学食堂",
        "capacity": 30,
        "themed": True,
        "summary": "邀请家长代表走进学校后厨，查看食材验收和加工过程，并现场陪餐体验。",
        "description": (
            "家长代表在监管人员陪同下参观食堂的食材验收、粗加工、烹饪和留样区域，"
            "了解“明厨亮灶”和食品安全管理制度的落实情况。"
            "参观结束后与学生同桌就餐，并填写意见表，对食堂管理提出改进建议。"
        ),
    },
    {
        "title": "安心乘梯守护行动",
        "unit": "amr",
        "co_units": ["special_equipment", "construction"],
        "domains": ["service", "engineering"],
        "focus": "supervision",
        "kind": "offline",
        "type": "inspection",
        "day": 2,
        "start": "09:00",
        "days": 25,
        "district": "湖里区",
        "venue": "住宅小区、商场、医院等场所在用电梯",
        "capacity": None,
        "themed": True,
        "summary": "对老旧住宅小区和人员密集场所的在用电梯开展专项检查，消除乘梯安全隐患。",
        "description": (
            "行动重点检查使用年限较长的住宅电梯和商场、医院、交通枢纽等人员密集场所的电梯，"
            "核查使用登记、定期检验、维护保养和应急救援措施的落实情况。"
            "对发现的隐患督促使用单位和维保单位限期整改，并在小区公示栏张贴安全乘梯提示。"
        ),
    },
    {
        "title": "安心乘梯守护行动·电梯安全进社区",
        "unit": "special_equipment",
        "co_units": ["amr"],
        "domains": ["service", "engineering"],
        "focus": "supervision",
        "kind": "offline",
        "type": "consultation",
        "day": 18,
        "start": "09:30",
        "hours": 3,
        "district": "集美区",
        "venue": "集美区某住宅小区中心广场",
        "capacity": None,
        "themed": True,
        "summary": "检验人员走进社区讲解文明乘梯和被困自救知识，并现场接受居民电梯问题咨询。",
        "description": (
            "活动通过展板、视频和模拟演示，向居民介绍安全乘梯的注意事项，"
            "提醒不要将电动自行车推入电梯，并讲解被困时的正确自救方式。"
            "居民还可现场反映小区电梯的运行问题，检验人员将协调物业和维保单位跟进处理。"
        ),
    },
    {
        "title": "中秋假期大型游乐设施安全检查",
        "unit": "special_equipment",
        "co_units": ["amr", "culture_tourism"],
        "domains": ["tourism", "service"],
        "focus": "supervision",
        "kind": "offline",
        "type": "inspection",
        "day": 5,
        "start": "09:00",
        "days": 8,
        "district": "集美区",
        "venue": "集美区等地景区及游乐场所",
        "capacity": None,
        "themed": True,
        "summary": "中秋假期前后对景区和游乐场所的大型游乐设施开展安全检查，保障游客安全。",
        "description": (
            "检查人员重点查看大型游乐设施的定期检验、日常点检、作业人员持证和应急预案情况，"
            "并抽查安全带、安全压杠等关键部件的状态。"
            "对存在隐患的设备责令停止运行，整改合格后方可重新开放。"
        ),
    },
    {
        "title": "电动自行车及充电器质量安全专项检查",
        "unit": "amr",
        "co_units": ["police"],
        "domains": ["transport", "product"],
        "focus": "supervision",
        "kind": "offline",
        "type": "inspection",
        "day": 8,
        "start": "09:00",
        "days": 20,
        "district": "海沧区",
        "venue": "海沧区电动自行车销售及维修门店",
        "capacity": None,
        "themed": True,
        "summary": "检查电动自行车及其充电器、电池的质量和认证情况，严查非法改装等行为。",
        "description": (
            "检查人员核查销售的电动自行车是否取得强制性产品认证，并抽样送检整车及充电器、蓄电池。"
            "对销售无证产品、擅自改装蓄电池和限速装置的经营者依法查处。"
            "检查同时向经营者和骑行者宣传安全充电常识。"
        ),
    },
    {
        "title": "建设工程用材料质量专项抽查",
        "unit": "amr",
        "co_units": ["construction", "product_inspection"],
        "domains": ["engineering", "product"],
        "focus": "supervision",
        "kind": "offline",
        "type": "inspection",
        "day": 13,
        "start": "09:00",
        "days": 14,
        "district": "翔安区",
        "venue": "翔安区在建工程项目及建材经营场所",
        "capacity": None,
        "themed": True,
        "summary": "对钢筋、电线电缆、防水卷材等建材产品开展专项抽查，守住工程质量源头。",
        "description": (
            "抽查覆盖在建工程项目使用的钢筋、电线电缆、防水卷材和建筑用涂料等材料，"
            "以及建材市场的经营门店。"
            "检验不合格的产品依法处理并追溯生产企业，相关信息通报建设主管部门。"
        ),
    },
    {
        "title": "农资产品质量专项检查",
        "unit": "amr",
        "co_units": ["agriculture"],
        "domains": ["agriculture", "product"],
        "focus": "supervision",
        "kind": "offline",
        "type": "inspection",
        "day": 19,
        "start": "09:00",
        "days": 10,
        "district": "同安区",
        "venue": "同安区农资经营门店",
        "capacity": None,
        "themed": True,
        "summary": "秋季农资购销时节检查化肥、农膜等农资产品质量，严打坑农害农违法行为。",
        "description": (
            "检查人员核查农资门店的进货台账和产品标识，抽检化肥、农膜等产品的关键质量指标。"
            "对销售假冒伪劣农资的行为依法严肃查处，并向农户发放识别假劣农资的宣传资料。"
        ),
    },
    {
        "title": "计量惠民：农贸市场电子秤免费检定",
        "unit": "metrology",
        "co_units": ["amr"],
        "domains": ["agriculture", "service"],
        "focus": "supervision",
        "kind": "offline",
        "type": "consultation",
        "day": 3,
        "start": "08:30",
        "hours": 3,
        "district": "集美区",
        "venue": "集美区某农贸市场",
        "capacity": None,
        "themed": True,
        "summary": "计量技术人员进入农贸市场为摊主免费检定电子秤，并设置公平秤供市民复核。",
        "description": (
            "技术人员现场为市场摊位使用的电子计价秤进行免费检定，检定合格的粘贴合格标志。"
            "同时检查市场公平秤的配备和使用情况，向市民演示如何复核所购商品的重量。"
        ),
    },
    {
        "title": "计量惠民：眼镜配镜质量免费检测",
        "unit": "metrology",
        "co_units": ["optics_association"],
        "domains": ["medical", "service"],
        "focus": "supervision",
        "kind": "offline",
        "type": "consultation",
        "day": 25,
        "start": "09:30",
        "hours": 3.5,
        "district": "同安区",
        "venue": "同安区某商业街公益服务点",
        "capacity": 80,
        "themed": True,
        "summary": "为市民免费检测所配眼镜的度数和光学中心，讲解验光配镜中的计量常识。",
        "description": (
            "计量技术人员携带焦度计等设备到现场，为市民免费检测眼镜的度数、轴位和光学中心距离。"
            "检测结果与验光单不符的，工作人员会帮助分析原因并提供维权建议。"
            "眼镜行业协会同步开展青少年近视防控和科学配镜咨询。检测按预约时段进行，请携带验光单到场。"
        ),
    },
    {
        "title": "网络交易经营者质量主体责任线上培训",
        "unit": "amr",
        "co_units": ["commerce"],
        "domains": ["service", "product"],
        "focus": "supervision",
        "kind": "online",
        "type": "training",
        "day": 23,
        "start": "15:00",
        "hours": 2,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 300,
        "themed": True,
        "summary": "面向电商平台和网店经营者讲解商品质量、信息公示和售后服务方面的法定义务。",
        "description": (
            "培训结合《中华人民共和国电子商务法》和《中华人民共和国产品质量法》，"
            "讲解网络销售商品的质量把关、商品信息如实展示和退换货服务要求。"
            "讲师还将分析网络交易中质量投诉的典型案例，帮助经营者防范经营风险。"
        ),
    },
    {
        "title": "产品质量监督抽查结果发布与解读",
        "unit": "product_inspection",
        "co_units": ["amr"],
        "domains": ["product"],
        "focus": "supervision",
        "kind": "online",
        "type": "lecture",
        "day": 22,
        "start": "15:00",
        "hours": 1.5,
        "district": None,
        "venue": "线上直播（官方视频号）",
        "capacity": None,
        "themed": True,
        "summary": "通报本年度重点产品监督抽查情况，解读不合格项目的风险并给出选购建议。",
        "description": (
            "检验专家介绍今年以来对儿童用品、电器电料、日用消费品等重点产品的抽查结果，"
            "逐项解读不合格项目可能带来的安全风险。"
            "直播同时面向生产企业讲解依据《中华人民共和国产品质量法》应承担的主体责任。"
        ),
    },
    # ------------------------------------------------------------------
    # Themed activities: 强化质量基础设施协同服务
    # ------------------------------------------------------------------
    {
        "title": "计量服务中小企业行",
        "unit": "metrology",
        "co_units": ["amr", "industry"],
        "domains": ["product"],
        "focus": "infrastructure",
        "kind": "offline",
        "type": "service_tour",
        "day": 6,
        "start": "09:00",
        "days": 20,
        "district": "湖里区",
        "venue": "湖里区中小企业生产现场",
        "capacity": None,
        "themed": True,
        "summary": "计量技术人员上门为中小企业梳理测量设备、指导量值溯源，帮助企业用好计量。",
        "description": (
            "服务团队深入企业生产现场，帮助企业梳理在用测量设备和检测仪器，"
            "指导建立计量器具台账和量值溯源计划，解决测量数据不准、不一致等实际问题。"
            "对确有困难的小微企业，提供部分项目的优惠检定校准服务。"
        ),
    },
    {
        "title": "计量服务中小企业行·测量管理体系专题辅导",
        "unit": "metrology",
        "co_units": ["industry"],
        "domains": ["product", "engineering"],
        "focus": "infrastructure",
        "kind": "offline",
        "type": "training",
        "day": 21,
        "start": "14:30",
        "hours": 3,
        "district": "同安区",
        "venue": "同安工业集中区某企业会议室",
        "capacity": 40,
        "themed": True,
        "summary": "辅导企业建立测量管理体系，讲解测量过程控制和计量确认的常用方法。",
        "description": (
            "辅导内容包括测量管理体系的基本要求、计量确认间隔的确定和测量过程的有效性验证。"
            "讲师结合企业实际案例，说明如何通过规范测量减少误判和返工、降低质量成本。"
            "适合企业计量管理人员和质量检验人员参加。"
        ),
    },
    {
        "title": "医疗机构在用计量器具检定服务",
        "unit": "metrology",
        "co_units": ["health"],
        "domains": ["medical"],
        "focus": "infrastructure",
        "kind": "offline",
        "type": "service_tour",
        "day": 19,
        "start": "09:00",
        "days": 10,
        "district": "同安区",
        "venue": "同安区医疗卫生机构",
        "capacity": None,
        "themed": True,
        "summary": "为医疗机构的血压计、心电图机等在用计量器具提供上门检定，保障诊疗数据准确。",
        "description": (
            "计量技术人员分批走进医院和社区卫生服务中心，对血压计、心电图机、"
            "医用超声源等列入强制检定目录的器具开展现场检定。"
            "同时帮助医疗机构完善计量器具管理制度，确保诊疗测量数据准确可靠。"
        ),
    },
    {
        "title": "质量基础设施“一站式”服务进园区",
        "unit": "amr",
        "co_units": ["metrology", "standardization", "product_inspection"],
        "domains": ["product", "service"],
        "focus": "infrastructure",
        "kind": "offline",
        "type": "service_tour",
        "day": 9,
        "start": "09:30",
        "hours": 4,
        "district": "翔安区",
        "venue": "火炬（翔安）产业区服务中心",
        "capacity": 50,
        "themed": True,
        "summary": "计量、标准、检验检测和认证机构组团进园区，集中解决企业的质量技术难题。",
        "description": (
            "活动把计量、标准化、检验检测和认证服务集中到园区现场，企业提前报名并提交问题，"
            "各机构专家现场逐一对接，能当场答复的当场答复，需进一步攻关的建立跟踪台账。"
            "企业还可了解检验检测费用减免等助企政策。"
        ),
    },
    {
        "title": "质量基础设施“一站式”服务线上问诊",
        "unit": "amr",
        "co_units": ["metrology", "standardization", "special_equipment"],
        "domains": ["product", "engineering"],
        "focus": "infrastructure",
        "kind": "online",
        "type": "consultation",
        "day": 13,
        "start": "09:00",
        "days": 15,
        "district": None,
        "venue": "线上服务平台",
        "capacity": None,
        "themed": True,
        "summary": "企业在线提交计量、标准、检测和认证方面的难题，由专家团队限时答复。",
        "description": (
            "问诊平台汇集计量、标准化、检验检测、特种设备和认证认可等方面的专家，"
            "企业在线描述遇到的质量技术问题后，由对口专家在三个工作日内给出答复。"
            "复杂问题将转入线下“一站式”服务，安排专家上门对接。"
        ),
    },
    {
        "title": "企业标准自我声明公开与“领跑者”申报辅导",
        "unit": "standardization",
        "co_units": ["amr"],
        "domains": ["product", "service"],
        "focus": "infrastructure",
        "kind": "online",
        "type": "training",
        "day": 27,
        "start": "15:00",
        "hours": 2,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 200,
        "themed": True,
        "summary": "讲解企业标准自我声明公开的操作要点，辅导企业参与企业标准“领跑者”活动。",
        "description": (
            "课程介绍企业标准信息公共服务平台的使用方法和自我声明公开的常见问题，"
            "并说明企业标准“领跑者”的评估方式和参与条件。"
            "参训企业可在课后提交本企业标准文本，获得标准化专家的修改建议。"
        ),
    },
    {
        "title": "标准化助力产业发展培训",
        "unit": "standardization",
        "co_units": ["industry"],
        "domains": ["product"],
        "focus": "infrastructure",
        "kind": "offline",
        "type": "training",
        "day": 15,
        "start": "09:30",
        "hours": 3,
        "district": "湖里区",
        "venue": "湖里区某产业园区会议室",
        "capacity": 80,
        "themed": True,
        "summary": "介绍国家标准、行业标准和团体标准的制定程序，引导企业参与标准制修订。",
        "description": (
            "培训讲解我国标准体系的构成、团体标准的制定程序以及企业参与标准制修订的途径。"
            "标准化专家结合本地企业主导制定标准的案例，说明“以标准促质量”的实际效果。"
            "参训企业可现场登记标准化服务需求。"
        ),
    },
    {
        "title": "服务业标准化试点经验交流会",
        "unit": "standardization",
        "co_units": ["culture_tourism", "commerce"],
        "domains": ["service", "tourism"],
        "focus": "infrastructure",
        "kind": "offline",
        "type": "forum",
        "day": 29,
        "start": "14:30",
        "hours": 2.5,
        "district": "思明区",
        "venue": "思明区某酒店会议厅",
        "capacity": 60,
        "themed": True,
        "summary": "组织服务业标准化试点单位交流经验，推动旅游、商贸等行业服务规范化。",
        "description": (
            "交流会邀请景区、酒店、物业和商贸企业等服务业标准化试点单位，"
            "介绍如何把服务流程转化为可执行、可考核的标准。"
            "与会单位将围绕服务质量评价和顾客满意度提升开展讨论。"
        ),
    },
    {
        "title": "检验检测服务对接会",
        "unit": "product_inspection",
        "co_units": ["industry"],
        "domains": ["product", "transport"],
        "focus": "infrastructure",
        "kind": "hybrid",
        "type": "forum",
        "day": 21,
        "start": "14:30",
        "hours": 2,
        "district": "湖里区",
        "venue": "火炬高新区（湖里园区）某会议中心（同步网络直播）",
        "capacity": 100,
        "themed": True,
        "summary": "推介电子电器、汽车零部件等领域的检测能力，现场对接企业检测和研发需求。",
        "description": (
            "市产品质检院介绍在电子电器、智能网联汽车零部件和日用消费品等领域的检测能力，"
            "并解读产品研发阶段开展检测验证的作用。"
            "企业可现场提出检测需求，由技术人员逐项对接、给出方案。"
        ),
    },
    {
        "title": "质量融资增信政策宣讲会",
        "unit": "amr",
        "co_units": ["finance"],
        "domains": ["finance", "product"],
        "focus": "infrastructure",
        "kind": "hybrid",
        "type": "lecture",
        "day": 20,
        "start": "10:00",
        "hours": 2,
        "district": "思明区",
        "venue": "思明区某商业银行会议室（同步网络直播）",
        "capacity": 80,
        "themed": True,
        "summary": "宣讲以质量信用和品牌荣誉为依据的融资增信政策，帮助优质企业获得信贷支持。",
        "description": (
            "宣讲会介绍金融机构面向质量信用良好、获得质量荣誉企业推出的信贷产品和办理流程，"
            "说明企业如何把质量优势转化为融资优势。"
            "参会企业可与银行客户经理现场沟通，了解具体的授信条件。"
        ),
    },
    # ------------------------------------------------------------------
    # Activities of the co-organising units
    # ------------------------------------------------------------------
    {
        "title": "打击制售假冒伪劣商品成果宣传展",
        "unit": "police",
        "co_units": ["amr"],
        "domains": ["product", "service"],
        "focus": "supervision",
        "kind": "offline",
        "type": "exhibition",
        "day": 16,
        "start": "09:30",
        "days": 3,
        "district": "湖里区",
        "venue": "湖里区某商业广场",
        "capacity": None,
        "themed": False,
        "summary": "展示近期查获的假冒伪劣商品和典型案例，现场教市民辨别真假商品。",
        "description": (
            "宣传展通过实物、展板和视频，集中展示公安机关会同市场监管部门查办的侵权假冒案件。"
            "民警和执法人员现场讲解假冒商品的常见特征和辨别方法，"
            "并公布举报渠道，鼓励市民积极提供违法线索。"
        ),
    },
    {
        "title": "重点工程质量观摩：翔安新机场建设现场",
        "unit": "construction",
        "co_units": ["transport", "amr"],
        "domains": ["engineering", "transport"],
        "focus": "improvement",
        "kind": "offline",
        "type": "site_visit",
        "day": 22,
        "start": "09:00",
        "hours": 4,
        "district": "翔安区",
        "venue": "厦门翔安国际机场建设工地",
        "capacity": 40,
        "themed": False,
        "summary": "组织施工和监理单位观摩翔安新机场建设现场，学习重大工程的质量管控做法。",
        "description": (
            "观摩团将走进翔安新机场建设现场，了解大型工程在材料进场检验、"
            "关键工序旁站和质量样板引路方面的做法。"
            "建设单位介绍工程质量管理体系运行情况，参观人员分组交流施工质量管理经验。"
        ),
    },
    {
        "title": "住宅工程质量开放日",
        "unit": "construction",
        "co_units": [],
        "domains": ["engineering"],
        "focus": "education",
        "kind": "offline",
        "type": "open_day",
        "day": 17,
        "start": "09:30",
        "hours": 3,
        "district": "集美区",
        "venue": "集美区某在建住宅项目",
        "capacity": 60,
        "themed": False,
        "summary": "邀请购房人和市民走进在建住宅工地，了解防渗漏、保温等关键部位的施工质量。",
        "description": (
            "开放日设置工法样板展示区，由技术人员讲解防水、外墙保温、门窗安装等关键工序的质量要求。"
            "参观者可进入已完成主体施工的样板房查看施工质量，并就住宅质量问题现场提问。"
        ),
    },
    {
        "title": "建设工程质量管理法规线上培训",
        "unit": "construction",
        "co_units": [],
        "domains": ["engineering"],
        "focus": "improvement",
        "kind": "online",
        "type": "training",
        "day": 7,
        "start": "14:30",
        "hours": 2.5,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 300,
        "themed": False,
        "summary": "解读《建设工程质量管理条例》中各方主体责任，提升项目管理人员的质量意识。",
        "description": (
            "培训围绕《建设工程质量管理条例》，讲解建设、勘察、设计、施工和监理单位的质量责任。"
            "讲师结合近期工程质量投诉和检查中发现的问题，提示项目管理中的常见风险点。"
        ),
    },
    {
        "title": "旅游服务质量提升培训",
        "unit": "culture_tourism",
        "co_units": [],
        "domains": ["tourism", "service"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 6,
        "start": "14:30",
        "hours": 3,
        "district": "思明区",
        "venue": "思明区某酒店会议厅",
        "capacity": 120,
        "themed": False,
        "summary": "面向旅行社、景区和导游开展服务规范培训，迎接中秋国庆旅游高峰。",
        "description": (
            "培训内容包括导游服务规范、游客投诉处理和突发事件应对，"
            "并通报近期旅游投诉中反映集中的问题。"
            "参训对象为旅行社负责人、景区服务人员和持证导游，培训合格者可记入继续教育学时。"
        ),
    },
    {
        "title": "文化和旅游消费服务质量体验行",
        "unit": "culture_tourism",
        "co_units": ["consumer_council"],
        "domains": ["culture", "tourism"],
        "focus": "education",
        "kind": "hybrid",
        "type": "other",
        "day": 25,
        "start": "09:30",
        "hours": 4,
        "district": "同安区",
        "venue": "同安区北辰山景区（同步网络直播）",
        "capacity": 50,
        "themed": False,
        "summary": "招募市民体验官走进景区，从游客视角评价讲解、餐饮和配套设施的服务质量。",
        "description": (
            "市民体验官按照统一的体验表，对景区的导览讲解、卫生设施、餐饮服务和文化展示进行打分。"
            "体验结束后召开座谈会，景区管理方当场回应体验官提出的意见。"
            "体验过程同步网络直播，让更多市民参与监督。"
        ),
    },
    {
        "title": "星级饭店服务质量交流会",
        "unit": "culture_tourism",
        "co_units": ["standardization"],
        "domains": ["tourism", "service"],
        "focus": "improvement",
        "kind": "offline",
        "type": "forum",
        "day": 29,
        "start": "09:30",
        "hours": 2.5,
        "district": "湖里区",
        "venue": "五缘湾片区某酒店",
        "capacity": 80,
        "themed": False,
        "summary": "星级饭店交流客房、餐饮和前厅服务的质量管理经验，提升住宿业服务水平。",
        "description": (
            "交流会邀请服务口碑较好的星级饭店分享客房清洁标准化、餐饮食品安全管理和宾客意见处理的经验。"
            "文旅部门同时通报饭店星级复核中发现的共性问题，并提出改进要求。"
        ),
    },
    {
        "title": "改善就医体验义诊咨询",
        "unit": "health",
        "co_units": [],
        "domains": ["medical", "service"],
        "focus": "education",
        "kind": "offline",
        "type": "consultation",
        "day": 18,
        "start": "08:30",
        "hours": 3,
        "district": "翔安区",
        "venue": "厦门大学附属翔安医院门诊广场",
        "capacity": 200,
        "themed": False,
        "summary": "多学科医生现场义诊，同时介绍预约诊疗、检查结果互认等便民就医举措。",
        "description": (
            "义诊覆盖内科、外科、儿科、眼科等常见科室，医生为市民提供健康咨询和用药指导。"
            "现场工作人员演示预约挂号、智慧结算等便民服务的使用方法，"
            "并收集市民对就医流程的意见建议。为减少排队，义诊实行线上预约、分时段就诊。"
        ),
    },
    {
        "title": "医疗质量安全管理线上培训",
        "unit": "health",
        "co_units": [],
        "domains": ["medical"],
        "focus": "improvement",
        "kind": "online",
        "type": "training",
        "day": 27,
        "start": "14:30",
        "hours": 3,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 300,
        "themed": False,
        "summary": "面向医疗机构质控人员讲解医疗质量安全核心制度落实和不良事件管理。",
        "description": (
            "培训解读医疗质量安全核心制度的落实要求，介绍医疗安全不良事件的报告和分析方法。"
            "各级医疗机构的医务、护理和质控管理人员参加，课后安排线上测试。"
        ),
    },
    {
        "title": "“质量第一课”中小学主题班会",
        "unit": "education",
        "co_units": ["amr"],
        "domains": ["culture", "product"],
        "focus": "education",
        "kind": "online",
        "type": "lecture",
        "day": 5,
        "start": "15:30",
        "hours": 1,
        "district": None,
        "venue": "线上课堂（各校班级同步收看）",
        "capacity": None,
        "themed": False,
        "summary": "开学之初各校同步收看质量主题课程，引导学生从小树立诚信和质量意识。",
        "description": (
            "课程由教研员与市场监管系统专家共同设计，用动画和生活案例讲述“质量”和“诚信”的意义。"
            "各班级收看后开展讨论，学生可撰写观后感或绘制质量主题手抄报。"
        ),
    },
    {
        "title": "校园周边食品与文具安全家长课堂",
        "unit": "education",
        "co_units": ["amr"],
        "domains": ["product", "agriculture"],
        "focus": "education",
        "kind": "offline",
        "type": "lecture",
        "day": 24,
        "start": "09:30",
        "hours": 1.5,
        "district": "海沧区",
        "venue": "海沧区某小学报告厅",
        "capacity": 150,
        "themed": False,
        "summary": "为家长讲解校园周边零食和文具的选购要点，引导家校共同守护孩子健康。",
        "description": (
            "课堂邀请食品安全和产品质量专家，讲解辣条等零食、网红文具可能存在的安全风险。"
            "家长将学习如何查看标签和生产日期，并与老师交流如何引导孩子理性消费。"
        ),
    },
    {
        "title": "工业企业质量标杆经验交流会",
        "unit": "industry",
        "co_units": ["amr"],
        "domains": ["product"],
        "focus": "improvement",
        "kind": "offline",
        "type": "forum",
        "day": 14,
        "start": "14:30",
        "hours": 3,
        "district": "湖里区",
        "venue": "火炬高新区（湖里园区）某会议中心",
        "capacity": 120,
        "themed": False,
        "summary": "邀请质量标杆企业交流质量管理实践，带动更多制造企业提升质量管理水平。",
        "description": (
            "交流会邀请在质量管理和智能制造方面表现突出的企业，"
            "介绍以数字化手段提升质量稳定性、降低质量损失的实践。"
            "与会企业可围绕产业链协同提升质量开展讨论，会后建立标杆企业结对帮扶机制。"
        ),
    },
    {
        "title": "中小企业数字化质量管理线上讲堂",
        "unit": "industry",
        "co_units": [],
        "domains": ["product", "service"],
        "focus": "improvement",
        "kind": "online",
        "type": "lecture",
        "day": 9,
        "start": "15:00",
        "hours": 1.5,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 300,
        "themed": False,
        "summary": "介绍适合中小企业的数字化质量管理工具，帮助企业低成本提升质量管控能力。",
        "description": (
            "讲堂介绍质量数据采集、统计过程控制和质量追溯等数字化工具的应用场景，"
            "并推荐适合中小企业的轻量化解决方案。"
            "参会企业可在线提交本企业的数字化改造需求。"
        ),
    },
    {
        "title": "公共交通服务质量提升培训",
        "unit": "transport",
        "co_units": [],
        "domains": ["transport", "service"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 13,
        "start": "09:30",
        "hours": 3,
        "district": "集美区",
        "venue": "集美区某公交场站培训室",
        "capacity": 60,
        "themed": False,
        "summary": "为公交、出租车企业的一线服务人员讲解文明驾驶、服务礼仪和乘客投诉处理。",
        "description": (
            "培训结合乘客投诉中的典型案例，讲解文明驾驶、礼貌服务和特殊乘客帮扶的要求。"
            "参训对象为公交和出租车企业的班组长和服务骨干，回到岗位后负责组织二次培训。"
        ),
    },
    {
        "title": "交通建设品质工程观摩",
        "unit": "transport",
        "co_units": ["construction"],
        "domains": ["transport", "engineering"],
        "focus": "improvement",
        "kind": "offline",
        "type": "site_visit",
        "day": 28,
        "start": "09:00",
        "hours": 3.5,
        "district": "海沧区",
        "venue": "海沧区某在建道路工程项目",
        "capacity": 40,
        "themed": False,
        "summary": "组织交通工程建设单位观摩在建道路项目，交流品质工程创建的经验做法。",
        "description": (
            "观摩重点是路基路面施工工艺、预制构件标准化生产和工地试验室管理。"
            "项目负责人介绍“首件工程认可”等质量管理制度的落实情况，观摩人员现场交流。"
        ),
    },
    {
        "title": "农产品质量安全宣传进乡村",
        "unit": "agriculture",
        "co_units": ["amr"],
        "domains": ["agriculture"],
        "focus": "education",
        "kind": "offline",
        "type": "consultation",
        "day": 4,
        "start": "09:00",
        "hours": 3,
        "district": "同安区",
        "venue": "同安区莲花镇军营村",
        "capacity": None,
        "themed": False,
        "summary": "农技人员进村讲解科学用药和茶叶质量安全知识，推动特色农产品提质增效。",
        "description": (
            "农技人员结合当地茶叶和蔬菜种植特点，向农户讲解农药安全间隔期、"
            "禁限用农药目录和田间生产记录的要求。"
            "现场同时开展农产品农药残留快速检测演示，发放科学种植宣传资料。"
        ),
    },
    {
        "title": "食用农产品承诺达标合格证推广培训",
        "unit": "agriculture",
        "co_units": [],
        "domains": ["agriculture", "product"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 16,
        "start": "14:30",
        "hours": 2.5,
        "district": "翔安区",
        "venue": "翔安区某农民专业合作社",
        "capacity": 50,
        "themed": False,
        "summary": "指导种养殖主体规范开具承诺达标合格证，让农产品带着“身份证”上市。",
        "description": (
            "培训讲解承诺达标合格证的开具条件、内容填写和自检要求，"
            "并演示如何通过信息平台打印合格证。"
            "参训对象为农民专业合作社、家庭农场和种养殖大户。"
        ),
    },
    {
        "title": "水产养殖规范用药与水产品质量安全培训",
        "unit": "ocean",
        "co_units": ["amr"],
        "domains": ["agriculture", "product"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 20,
        "start": "14:30",
        "hours": 2.5,
        "district": "翔安区",
        "venue": "翔安区某水产养殖合作社",
        "capacity": 50,
        "themed": False,
        "summary": "指导养殖户规范使用渔药、落实休药期，从源头保障上市水产品的质量安全。",
        "description": (
            "培训讲解水产养殖用药的基本规定、休药期要求和养殖生产记录的规范填写，"
            "并通报近期水产品抽检中发现的主要问题。"
            "现场还演示水产品药物残留快速检测方法，参训对象为养殖合作社和养殖大户。"
        ),
    },
    {
        "title": "诚信经营商户服务质量培训",
        "unit": "commerce",
        "co_units": ["amr"],
        "domains": ["service"],
        "focus": "improvement",
        "kind": "offline",
        "type": "training",
        "day": 19,
        "start": "09:30",
        "hours": 2.5,
        "district": "湖里区",
        "venue": "湖里区某商业综合体会议室",
        "capacity": 100,
        "themed": False,
        "summary": "面向商圈商户讲解诚信经营、售后服务和预付卡规范管理，提升消费体验。",
        "description": (
            "培训介绍商品“三包”、七日无理由退货和单用途预付卡管理等规定，"
            "并结合消费投诉案例分析服务纠纷的成因。"
            "参训商户可报名参加诚信示范店评选。"
        ),
    },
    {
        "title": "“品质厦门”特色商品与老字号展销",
        "unit": "commerce",
        "co_units": ["culture_tourism"],
        "domains": ["product", "culture"],
        "focus": "education",
        "kind": "offline",
        "type": "exhibition",
        "day": 9,
        "start": "10:00",
        "days": 3,
        "district": "思明区",
        "venue": "中山路步行街",
        "capacity": None,
        "themed": False,
        "summary": "中秋佳节期间集中展示老字号和本地特色商品，展现厦门质量品牌的文化底蕴。",
        "description": (
            "展销会邀请本地老字号企业和特色商品生产企业参展，展示传统工艺和质量传承。"
            "现场设置质量承诺公示墙和退换货服务台，让市民放心选购中秋节礼。"
        ),
    },
    {
        "title": "质量融资增信银企对接会",
        "unit": "finance",
        "co_units": ["amr"],
        "domains": ["finance", "product"],
        "focus": "infrastructure",
        "kind": "offline",
        "type": "forum",
        "day": 22,
        "start": "14:30",
        "hours": 2.5,
        "district": "思明区",
        "venue": "思明区某金融机构会议中心",
        "capacity": 100,
        "themed": False,
        "summary": "组织银行与质量信用良好的企业面对面对接，为优质企业拓宽融资渠道。",
        "description": (
            "对接会由多家银行机构推介面向质量标杆企业和“专精特新”企业的信贷产品，"
            "企业现场介绍融资需求，银企双方一对一洽谈。"
            "会后金融监管部门将跟踪对接项目的落地情况。"
        ),
    },
    {
        "title": "金融消费者权益保护社区讲座",
        "unit": "finance",
        "co_units": [],
        "domains": ["finance", "service"],
        "focus": "education",
        "kind": "offline",
        "type": "lecture",
        "day": 17,
        "start": "09:30",
        "hours": 1.5,
        "district": "海沧区",
        "venue": "海沧区某社区服务中心活动室",
        "capacity": 80,
        "themed": False,
        "summary": "向社区居民宣传防范非法集资和金融诈骗知识，介绍正规金融服务的办理渠道。",
        "description": (
            "工作人员通过案例讲解、发放宣传资料等方式，提醒老年人警惕“高收益”理财陷阱，"
            "介绍如何核实金融机构和产品的合法性。"
            "居民可现场咨询金融消费纠纷的投诉渠道。"
        ),
    },
    {
        "title": "质量诚信与信用修复政策宣讲",
        "unit": "development_reform",
        "co_units": ["amr"],
        "domains": ["service", "finance"],
        "focus": "education",
        "kind": "online",
        "type": "lecture",
        "day": 15,
        "start": "15:00",
        "hours": 1.5,
        "district": None,
        "venue": "线上直播（会议平台）",
        "capacity": 300,
        "themed": False,
        "summary": "解读质量信用信息的归集与应用规则，指导企业依法依规开展信用修复。",
        "description": (
            "宣讲介绍质量领域行政处罚等信用信息的归集和公示方式，以及守信激励、失信约束的具体措施。"
            "讲师还将逐步演示信用修复的申请流程，帮助企业尽快消除不良记录的影响。"
        ),
    },
    {
        "title": "科技创新助力质量攻关对接会",
        "unit": "science_technology",
        "co_units": ["industry", "product_inspection"],
        "domains": ["product", "medical"],
        "focus": "infrastructure",
        "kind": "hybrid",
        "type": "forum",
        "day": 28,
        "start": "14:30",
        "hours": 2.5,
        "district": "集美区",
        "venue": "厦门软件园三期某会议中心（同步网络直播）",
        "capacity": 80,
        "themed": False,
        "summary": "发布企业质量技术攻关需求，推动高校院所和企业联合破解关键质量难题。",
        "description": (
            "对接会集中发布企业在材料性能、工艺稳定性和检测方法等方面的技术需求，"
            "邀请高校、科研院所和检测机构现场认领。"
            "达成合作意向的项目可按规定申报相关科技计划支持。"
        ),
    },
    {
        "title": "燃气安全与燃气器具质量进社区",
        "unit": "municipal_gardens",
        "co_units": ["amr"],
        "domains": ["service", "product"],
        "focus": "education",
        "kind": "offline",
        "type": "consultation",
        "day": 4,
        "start": "09:30",
        "hours": 3,
        "district": "湖里区",
        "venue": "湖里区某社区广场",
        "capacity": None,
        "themed": False,
        "summary": "宣传安全用气知识，教居民识别合格燃气灶具和软管，排查家庭用气隐患。",
        "description": (
            "工作人员现场展示合格燃气灶具、减压阀和连接软管，讲解熄火保护装置的作用。"
            "居民可预约燃气企业上门开展免费安全检查，及时更换老化软管。"
        ),
    },
    {
        "title": "职工QC小组成果发布交流会",
        "unit": "trade_union",
        "co_units": ["industry"],
        "domains": ["product", "engineering"],
        "focus": "improvement",
        "kind": "offline",
        "type": "forum",
        "day": 26,
        "start": "09:00",
        "hours": 4,
        "district": "思明区",
        "venue": "思明区某会议中心",
        "capacity": 150,
        "themed": False,
        "summary": "职工QC小组发布质量改进成果，评委现场点评，推广群众性质量改进经验。",
        "description": (
            "来自制造、建筑和服务企业的QC小组逐一发布成果，展示运用质量工具解决实际问题的过程。"
            "专家评委现场点评并评选优秀成果，优秀小组将推荐参加更高层级的交流活动。"
        ),
    },
    {
        "title": "“质量工匠”职工技能比武",
        "unit": "trade_union",
        "co_units": ["metrology"],
        "domains": ["product", "engineering"],
        "focus": "improvement",
        "kind": "offline",
        "type": "contest",
        "day": 30,
        "start": "08:30",
        "hours": 5,
        "district": "同安区",
        "venue": "同安区某企业实训基地",
        "capacity": 40,
        "themed": False,
        "summary": "围绕精密测量和质量检验技能开展职工比武，选树一批立足岗位的质量工匠。",
        "description": (
            "比武设理论考试和实操两个环节，实操项目包括常用量具使用和产品尺寸检验等内容。"
            "优胜者将获得“质量工匠”荣誉，并优先推荐参加劳动技能竞赛。"
        ),
    },
    {
        "title": "青年文明号质量服务经验交流会",
        "unit": "youth_league",
        "co_units": ["amr"],
        "domains": ["service", "product"],
        "focus": "improvement",
        "kind": "hybrid",
        "type": "forum",
        "day": 30,
        "start": "10:00",
        "hours": 2,
        "district": "集美区",
        "venue": "集美区某青年创新创业基地（同步网络直播）",
        "capacity": 60,
        "themed": False,
        "summary": "青年文明号集体代表交流优质服务和质量把关经验，引导青年职工争当质量先锋。",
        "description": (
            "交流会邀请来自生产一线和服务窗口的青年文明号集体代表，分享在质量把关、"
            "规范服务和服务创新方面的做法。"
            "会上还将发出“青春建功品质厦门”倡议，欢迎各企业团组织报名参加。"
        ),
    },
    # ------------------------------------------------------------------
    # Activities of associations
    # ------------------------------------------------------------------
    {
        "title": "中秋消费维权现场咨询",
        "unit": "consumer_council",
        "co_units": [],
        "domains": ["service", "product"],
        "focus": "supervision",
        "kind": "offline",
        "type": "consultation",
        "day": 10,
        "start": "10:00",
        "hours": 3,
        "district": "翔安区",
        "venue": "翔安区某商业广场",
        "capacity": None,
        "themed": False,
        "summary": "节日消费高峰期间现场受理投诉，提醒消费者理性购买月饼礼盒和节日商品。",
        "description": (
            "消委会工作人员和志愿律师在商业广场设点，现场接受消费投诉和维权咨询。"
            "同时提醒消费者警惕过度包装和“低价团购”陷阱，保存好购物凭证。"
        ),
    },
    {
        "title": "青少年科学配镜与视力健康讲座",
        "unit": "optics_association",
        "co_units": ["metrology"],
        "domains": ["medical", "service"],
        "focus": "education",
        "kind": "offline",
        "type": "lecture",
        "day": 11,
        "start": "15:00",
        "hours": 1.5,
        "district": "思明区",
        "venue": "厦门市图书馆报告厅",
        "capacity": 100,
        "themed": False,
        "summary": "专业验光师为家长和学生讲解科学验光配镜的流程，纠正常见的配镜误区。",
        "description": (
            "讲座介绍规范验光的步骤、儿童青少年散瞳验光的必要性以及镜片选择的注意事项。"
            "计量技术人员还将说明验光设备为何需要定期检定，帮助家长选择规范的配镜机构。"
        ),
    },
]


if __name__ == "__main__":
    from collections import Counter

    unit_codes = {u["code"] for u in UNITS}
    unit_kinds = {u["code"]: u["kind"] for u in UNITS}
    allowed_kinds = {
        "government",
        "market_supervision",
        "association",
        "enterprise",
        "nqi",
        "school",
        "other",
    }
    district_names = {d["name"] for d in REGIONS["districts"]}
    domain_codes = [d["code"] for d in DOMAINS]
    focus_codes = {f["code"] for f in FOCUS_AREAS}
    activity_kinds = {"online", "offline", "hybrid"}
    activity_types = {
        "training",
        "site_visit",
        "open_day",
        "lecture",
        "contest",
        "service_tour",
        "inspection",
        "exhibition",
        "consultation",
        "forum",
        "other",
    }

    # Units.
    assert len(unit_codes) == len(UNITS), "duplicate unit codes"
    assert LEAD_UNIT in unit_codes
    assert all(u["kind"] in allowed_kinds for u in UNITS)
    assert all(u["code"].isascii() and u["code"].replace("_", "").isalnum() for u in UNITS)
    co_organisers = [u["code"] for u in UNITS if u["co_organiser"]]
    assert len(co_organisers) == 16, len(co_organisers)
    for code in ("police", "construction", "culture_tourism", "health"):
        assert code in co_organisers, code
    assert not next(u for u in UNITS if u["code"] == LEAD_UNIT)["co_organiser"]

    # Regions and vocabularies.
    assert [d["code"] for d in REGIONS["districts"]] == [
        "350203",
        "350205",
        "350206",
        "350211",
        "350212",
        "350213",
    ]
    assert [f["code"] for f in FOCUS_AREAS] == [
        "education",
        "improvement",
        "supervision",
        "infrastructure",
    ]
    assert domain_codes == [
        "agriculture",
        "product",
        "service",
        "transport",
        "engineering",
        "culture",
        "tourism",
        "medical",
        "finance",
    ]

    # Activities.
    titles = [a["title"] for a in ACTIVITIES]
    dupes = [t for t, n in Counter(titles).items() if n > 1]
    assert not dupes, dupes
    for a in ACTIVITIES:
        t = a["title"]
        assert a["unit"] in unit_codes, t
        assert all(c in unit_codes and c != a["unit"] for c in a["co_units"]), t
        assert 1 <= len(a["domains"]) <= 3 and set(a["domains"]) <= set(domain_codes), t
        assert len(set(a["domains"])) == len(a["domains"]), t
        assert a["focus"] in focus_codes, t
        assert a["kind"] in activity_kinds, t
        assert a["type"] in activity_types, t
        assert 1 <= a["day"] <= 30, t
        hh, mm = (int(x) for x in a["start"].split(":"))
        assert "08:30" <= a["start"] <= "19:30" and len(a["start"]) == 5 and mm < 60, t
        assert ("hours" in a) != ("days" in a), t
        if "days" in a:
            assert a["day"] + a["days"] - 1 <= 30, t
            assert a["capacity"] is None, t
        else:
            assert 0 < a["hours"] <= 8 and hh + a["hours"] <= 22, t
        if a["kind"] == "online":
            assert a["district"] is None, t
        else:
            assert a["district"] in district_names, t
        assert a["venue"], t
        assert a["capacity"] is None or 20 <= a["capacity"] <= 300, t
        in_system = a["unit"] == LEAD_UNIT or unit_kinds[a["unit"]] == "nqi"
        assert a["themed"] == in_system, t
        assert 30 <= len(a["summary"]) <= 60, (t, len(a["summary"]))
        assert a["description"].count("。") >= 2, t

    themed = [a for a in ACTIVITIES if a["themed"]]
    assert len(ACTIVITIES) >= 76, len(ACTIVITIES)
    assert len(themed) >= 45, len(themed)
    assert {a["focus"] for a in themed} == focus_codes

    named = [
        "首席质量官",
        "计量服务中小企业行",
        "工业企业质量诊断帮扶行动",
        "校园食品安全守护行动",
        "安心乘梯守护行动",
        "卓越绩效",
        "质量专家企业行",
        "现场实地观摩",
        "质量品牌优秀经验宣传分享",
        "“美好生活，质量引领”微视频创作大赛",
        "质量知识竞答",
        "厦门质量品牌故事“云展播”",
        "质量科普",
        "典型案件曝光",
        "质量“关键小事”",
        "质量基础设施“一站式”服务",
    ]
    for word in named:
        assert any(word in a["title"] for a in themed), word

    for code in co_organisers:
        assert any(a["unit"] == code for a in ACTIVITIES), f"no activity for {code}"
    assert any(
        unit_kinds[a["unit"]] == "association"
        and not next(u for u in UNITS if u["code"] == a["unit"])["co_organiser"]
        for a in ACTIVITIES
    )

    domain_count = Counter(d for a in ACTIVITIES for d in a["domains"])
    for code in domain_codes:
        assert domain_count[code] >= 3, (code, domain_count[code])
    district_count = Counter(a["district"] for a in ACTIVITIES if a["district"])
    for name in district_names:
        assert district_count[name] >= 5, (name, district_count[name])

    kind_count = Counter(a["kind"] for a in ACTIVITIES)
    assert kind_count["hybrid"] >= 3
    assert 0.15 <= kind_count["online"] / len(ACTIVITIES) <= 0.3, kind_count
    with_capacity = [a for a in ACTIVITIES if a["capacity"] is not None]
    assert 40 <= len(with_capacity) <= 60, len(with_capacity)
    assert sum(1 for a in with_capacity if a["capacity"] <= 30) >= 4
    days = Counter(a["day"] for a in ACTIVITIES)
    assert len(days) >= 25 and max(days.values()) <= 6, days

    print(f"campaign: {CAMPAIGN['year']} {CAMPAIGN['theme']}")
    print(f"units: {len(UNITS)} ({len(co_organisers)} co-organisers)")
    print(
        f"activities: {len(ACTIVITIES)}, themed: {len(themed)}, "
        f"with registration: {len(with_capacity)}"
    )
    print("kinds:", dict(kind_count))
    print("focus (themed):", dict(Counter(a["focus"] for a in themed)))
    print("domains:", {c: domain_count[c] for c in domain_codes})
    print("districts:", {d["name"]: district_count[d["name"]] for d in REGIONS["districts"]})
    print("days used:", len(days), "busiest:", days.most_common(3))
    print("OK")
