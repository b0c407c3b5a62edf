/**
 * docs/deployer-policy.md against the code: the policies it prints are the ones the command
 * generates for the example stack and the collector, and its table of provider calls is the model's.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { DATA_SOURCE_PERMISSIONS, RESOURCE_PERMISSIONS } from "../../model/deployer";
import { generateDeployerPolicies, Mode, Project } from "../../cli/deployer-policy/generate";
import { readStackConfigFile } from "../../cli/stack-config-file";
import { testEngine } from "../helpers/engine";

const ROOT = path.resolve(__dirname, "..", "..");
const DOC = readFileSync(path.join(ROOT, "docs/deployer-policy.md"), "utf8");

/** The ```json block under `#### \`name\``. */
function printed(name: string): unknown {
    const start = DOC.indexOf(`#### \`${name}\`\n`);
    expect(start, `a block for ${name}`).to.be.greaterThan(-1);
    return JSON.parse(/```json\n([\s\S]*?)```/.exec(DOC.slice(start))?.[1] ?? "null");
}

const CASES: [Project, string, Mode][] = [
    ["stackstate-aws", "Pulumi.example.yaml", "deploy"],
    ["stackstate-aws", "Pulumi.example.yaml", "destroy"],
    ["collector", "collector/Pulumi.example.yaml", "deploy"],
    ["collector", "collector/Pulumi.example.yaml", "destroy"],
];

describe("docs/deployer-policy.md", () => {
    after(() => testEngine().install());

    for (const [project, config, mode] of CASES) {
        it(`prints the ${mode} policies of ${config} as the command generates them`, async () => {
            const generated = await generateDeployerPolicies(readStackConfigFile(path.join(ROOT, config)), project, mode);
            if (!generated.ok) throw new Error(JSON.stringify(generated.configProblems));
            for (const policy of generated.result.policies) expect(printed(policy.name), policy.name).to.deep.equal(policy.document);
            // No stale block of a policy the command no longer generates.
            const base = generated.result.policies[0].name.replace(/-\d+$/, "");
            const blocks = [...DOC.matchAll(new RegExp(`^#### \`(${base}-\\d+)\``, "gm"))].map((m) => m[1]);
            expect(blocks).to.deep.equal(generated.result.policies.map((p) => p.name));
        });
    }

    it("lists every provider call of the model, with its action, call, target and source", () => {
        const table = DOC.slice(DOC.indexOf("## The provider calls"));
        const rows = table.split("\n").filter((line) => line.startsWith("| `")).map((line) => {
            const [resource, phase, action, call, target, source] = line.slice(1, -1).split("|").map((cell) => cell.trim());
            const [, type, terraform] = /^`([^`]+)` \(`([^`]+)`\)$/.exec(resource) ?? [];
            const code = (cell: string) => (cell === "none" ? "" : cell.replace(/^`|`$/g, ""));
            return [type, terraform, phase, code(action), call, code(target), code(source)].join(" | ");
        });
        const expected = [
            ...RESOURCE_PERMISSIONS.flatMap((p) => p.calls.map((c) => [p.type, p.terraform, c.phase, c.action, c.call, c.on === "none" ? "*" : c.on, c.source].join(" | "))),
            ...DATA_SOURCE_PERMISSIONS.flatMap((p) => (p.calls.length === 0
                ? [[p.token, p.terraform, "read", "", "", "", ""].join(" | ")]
                : p.calls.map((c) => [p.token, p.terraform, "read", c.action, c.call, c.on === "none" ? "*" : c.on, c.source].join(" | ")))),
        ];
        expect(rows).to.deep.equal(expected);
    });
});
