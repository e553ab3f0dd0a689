/**
 * What the official conformance suite (@modelcontextprotocol/conformance 0.2.0-alpha.12) must find when it is
 * run with `--requirements <revision>` against syn-mcp: every server scenario the suite runs for that revision
 * (`conformance list --server --requirements <revision>`: the scored ones, and the extension, pending and
 * added-after-release ones it runs and reports without scoring) is classified here, and the test fails when
 * the suite's list and this one differ, so a scenario cannot be dropped or invented silently.
 *
 * - `pass`: every check SUCCESS, INFO or SKIPPED, at least one SUCCESS. `except` names the checks of that
 *   scenario that need one of the suite's own fixture tools: each must say so in the suite's own words
 *   (`evidence`), so a real failure cannot hide behind the exception.
 * - `out`: left out, with the reason. Most need the suite's fixture server: tools, prompts or resources with
 *   fixed names (test_simple_text, test_simple_prompt, test://…) and behaviours no real server has.
 * `modes` limits an entry to some transports; elsewhere the `otherwise` entry applies.
 */

/** The transports the suite is run over. */
export type Mode = 'stateful' | 'stateless' | 'stdio';

/** A check left out of a passing scenario, and the suite's own words that show why. */
export interface Exception {
  reason: string;
  evidence: RegExp;
}

/** How one scenario must come out. */
export type Expectation =
  | { pass: true; except?: Record<string, Exception> }
  | { out: string }
  | { modes: Mode[]; inModes: Expectation; otherwise: Expectation };

const pass: Expectation = { pass: true };

/** The suite's words for a check it could not exercise without its fixture tool `tool`. */
const untestable = (tool: string, reason: string): Exception => ({
  reason,
  evidence: new RegExp(`^Not testable: .*'${tool}'`),
});

const fixtureTool = (name: string, what: string): Expectation => ({
  out: `calls the suite's fixture tool ${name} (${what}); syn-mcp has no such tool`,
});
const fixturePrompt = (name: string): Expectation => ({
  out: `gets the suite's fixture prompt ${name}; syn-mcp's prompts are its own`,
});
const RESOURCES =
  "syn-mcp's only resources are its MCP Apps views (ui://syn-mcp/…, fixed, no subscriptions), not the suite's fixture resources";
const HTTP_ONLY =
  'an HTTP-layer check (Host/Origin headers): over stdio there is no HTTP; through the bridge it would test the bridge';
const TASKS = 'tasks extension (unscored by the suite): syn-mcp does not offer the tasks extension';

/** The scenarios both revisions share, as syn-mcp must meet them. */
const COMMON: Record<string, Expectation> = {
  'tools-list': pass,
  'prompts-list': pass,
  'dns-rebinding-protection': { modes: ['stdio'], inModes: { out: HTTP_ONLY }, otherwise: pass },
  'completion-complete': {
    out: "completes an argument of the suite's fixture prompt test_prompt_with_arguments; syn-mcp declares no completions capability",
  },
  'tools-call-simple-text': fixtureTool('test_simple_text', 'fixed text content'),
  'tools-call-image': fixtureTool('test_image_content', 'a fixed PNG'),
  'tools-call-audio': fixtureTool('test_audio_content', 'a fixed WAV'),
  'tools-call-embedded-resource': fixtureTool('test_embedded_resource', 'a fixed embedded resource'),
  'tools-call-mixed-content': fixtureTool('test_multiple_content_types', 'text, image and resource together'),
  'tools-call-error': fixtureTool('test_error_handling', 'an error on demand'),
  'tools-call-with-progress': fixtureTool('test_tool_with_progress', 'progress notifications on demand'),
  'resources-list': { out: RESOURCES },
  'resources-read-text': { out: `${RESOURCES}; also needs the fixture resource test://static-text` },
  'resources-read-binary': { out: `${RESOURCES}; also needs the fixture resource test://static-binary` },
  'resources-templates-read': {
    out: `${RESOURCES}; also needs the fixture template test://template/{id}/data`,
  },
  'prompts-get-simple': fixturePrompt('test_simple_prompt'),
  'prompts-get-with-args': fixturePrompt('test_prompt_with_arguments'),
  'prompts-get-embedded-resource': fixturePrompt('test_prompt_with_embedded_resource'),
  'prompts-get-with-image': fixturePrompt('test_prompt_with_image'),
  'json-schema-2020-12': fixtureTool(
    'json_schema_2020_12_tool',
    'pending in the suite: a fixed 2020-12 schema',
  ),
};

/** `--requirements 2025-11-25`. */
export const REQUIREMENTS_2025: Record<string, Expectation> = {
  ...COMMON,
  'server-initialize': pass,
  'logging-set-level': pass,
  ping: pass,
  'server-sse-multiple-streams': {
    modes: ['stateless'],
    inModes: {
      out: 'needs a session (the suite: "Server did not provide session ID - multiple streams test may not work correctly"); --stateless has none by design',
    },
    otherwise: pass,
  },
  'server-session-lifecycle': {
    modes: ['stateful'],
    inModes: pass,
    otherwise: {
      out: 'added after the release (unscored); session DELETE/404: --stateless has no session (the suite skips it), and over stdio the bridge owns the session',
    },
  },
  'tools-call-with-logging': fixtureTool('test_tool_with_logging', 'log notifications on demand'),
  'tools-call-sampling': fixtureTool('test_sampling', 'a sampling request to the client'),
  'tools-call-elicitation': fixtureTool('test_elicitation', 'a fixed elicitation form'),
  'elicitation-sep1034-defaults': fixtureTool('test_elicitation_sep1034_defaults', 'a form with defaults'),
  'elicitation-sep1330-enums': fixtureTool('test_elicitation_sep1330_enums', 'a form with enums'),
  'resources-subscribe': { out: RESOURCES },
  'resources-unsubscribe': { out: RESOURCES },
  'server-sse-polling': fixtureTool(
    'test_reconnection',
    'pending in the suite: closes its SSE stream mid-call',
  ),
};

/** `--requirements 2026-07-28`: only HTTP (see the test for stdio). */
export const REQUIREMENTS_2026: Record<string, Expectation> = {
  ...COMMON,
  'server-stateless': {
    pass: true,
    except: {
      'sep-2575-server-rejects-undeclared-capability': untestable(
        'test_missing_capability',
        "needs the suite's tool that requires the sampling capability; no syn-mcp tool depends on a client capability being declared",
      ),
      'sep-2575-missing-capability-http-400': untestable(
        'test_missing_capability',
        'the HTTP status of the same -32021 error',
      ),
      'sep-2575-http-server-no-independent-requests-on-stream': untestable(
        'test_streaming_elicitation',
        "needs the suite's tool that elicits while streaming",
      ),
      'sep-2575-server-no-log-without-loglevel': untestable(
        'test_logging_tool',
        "needs the suite's tool that logs on demand",
      ),
    },
  },
  'server-sse-multiple-streams': pass,
  // resources/list and resources/templates/list carry the cache fields too (the MCP Apps views, src/apps).
  caching: pass,
  'input-required-result-unsupported-methods': pass,
  'http-header-validation': pass,
  // An unknown resource URI is -32602 (the SDK's ResourceNotFoundError), with the MCP Apps views served.
  'sep-2164-resource-not-found': pass,
  'input-required-result-basic-elicitation': fixtureTool(
    'test_input_required_result_elicitation',
    'one fixed form',
  ),
  'input-required-result-basic-sampling': fixtureTool(
    'test_input_required_result_sampling',
    'a sampling input request',
  ),
  'input-required-result-basic-list-roots': fixtureTool(
    'test_input_required_result_list_roots',
    'a roots input request',
  ),
  'input-required-result-request-state': fixtureTool(
    'test_input_required_result_request_state',
    'fixed request state',
  ),
  'input-required-result-multiple-input-requests': fixtureTool(
    'test_input_required_result_multiple_inputs',
    'several input requests at once',
  ),
  'input-required-result-multi-round': fixtureTool(
    'test_input_required_result_multi_round',
    'two fixed rounds',
  ),
  'input-required-result-missing-input-response': fixtureTool(
    'test_input_required_result_elicitation',
    'the suite retries it without the answer',
  ),
  'input-required-result-non-tool-request': {
    out: "gets the suite's fixture prompt test_input_required_result_prompt, which asks for input; syn-mcp's prompts are its own",
  },
  'input-required-result-result-type': fixtureTool(
    'test_input_required_result_elicitation',
    'its resultType',
  ),
  'input-required-result-tampered-state': fixtureTool(
    'test_input_required_result_tampered_state',
    'the suite tampers with its state',
  ),
  'input-required-result-capability-check': fixtureTool(
    'test_input_required_result_capabilities',
    'input requests per declared capability',
  ),
  'input-required-result-ignore-extra-params': fixtureTool(
    'test_input_required_result_elicitation',
    'extra params beside its answer',
  ),
  'input-required-result-validate-input': fixtureTool(
    'test_input_required_result_elicitation',
    'the suite counts "tool not found" as a pass here, so it proves nothing without the fixture',
  ),
  'http-custom-header-server-validation': {
    out: 'pending in the suite: needs a tool whose schema has x-mcp-header annotations; syn-mcp has none',
  },
  'tasks-lifecycle': { out: TASKS },
  'tasks-capability-negotiation': { out: TASKS },
  'tasks-wire-fields': { out: TASKS },
  'tasks-request-state-removal': { out: TASKS },
  'tasks-mrtr-input': { out: TASKS },
  'tasks-request-headers': { out: TASKS },
  'tasks-dispatch-and-envelope': { out: TASKS },
  'tasks-status-notifications': { out: TASKS },
  'tasks-required-task-error': { out: TASKS },
  'tasks-mrtr-composition': { out: TASKS },
};

/** The expectation that applies to `mode`. */
export function expectationFor(
  e: Expectation,
  mode: Mode,
): { pass: true; except?: Record<string, Exception> } | { out: string } {
  if ('modes' in e) return expectationFor(e.modes.includes(mode) ? e.inModes : e.otherwise, mode);
  return e;
}
