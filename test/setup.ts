// Mocha --require: installs Pulumi's mock engine before any test module loads.
import { testEngine } from "./helpers/engine";

testEngine();
