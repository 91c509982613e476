def pages(ctx) -> list[dict]:
    return [
        {"name": "platform: HQ home", "path": "/", "user": ctx.hq_expert},
        {"name": "platform: county home", "path": "/", "user": ctx.officers[ctx.units[0].pk]},
        {"name": "platform: staff directory (HQ)", "path": "/staff/", "user": ctx.hq_expert},
        {"name": "platform: instruction catalog", "path": "/instruction/", "user": ctx.hq_expert},
    ]
