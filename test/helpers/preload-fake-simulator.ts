/**
 * Preloaded (`node -r`) into a spawned CLI process by the CLI tests: moto does not implement IAM's
 * policy simulator, so every IAMClient answers SimulatePrincipalPolicy with "allowed"; all other
 * calls go to the emulator as usual.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { fakeSimulator } from "./aws-fakes";

fakeSimulator(IAMClient);
