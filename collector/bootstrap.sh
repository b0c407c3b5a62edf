#!/bin/bash
# StackState collector host: install the pinned StackState Agent V2 and configure its
# aws_topology check. cloud-init runs this on every boot (scripts/per-boot); it is idempotent:
# a run on a configured host rewrites nothing and does not restart the Agent.
#
# Inputs, written by the user data (no secrets in them):
#   /etc/stackstate-aws/collector.env          settings (StackState URL, parameter names, version, proxy)
#   /etc/stackstate-aws/aws_topology/manifest  "<file> <ssm parameter>" per check file
#   /etc/stackstate-aws/aws_topology/<file>    check config with @@STACKSTATE_AWS_EXTERNAL_ID@@
# Secrets (the API key, the ExternalIds) are read from SSM Parameter Store at run time and
# written only to the Agent's configuration files (mode 0640, group stackstate-agent).
#
# ROOT prefixes every path, so tests can run this against a scratch directory.
set -euo pipefail
umask 027

ROOT="${ROOT:-}"
AGENT_GROUP="${AGENT_GROUP:-stackstate-agent}"
SETTINGS="$ROOT/etc/stackstate-aws/collector.env"
TEMPLATES="$ROOT/etc/stackstate-aws/aws_topology"
AGENT_ETC="$ROOT/etc/stackstate-agent"
MAIN_CONFIG="$AGENT_ETC/stackstate.yaml"
CHECK_DIR="$ROOT/etc/stackstate-agent/conf.d/aws_topology.d"
AGENT_PYTHON_LIB="$ROOT/opt/stackstate-agent/embedded/lib"
DROPIN="$ROOT/etc/systemd/system/stackstate-agent.service.d/stackstate-aws-proxy.conf"
INSTALL_LOG_DIR="$ROOT/var/log/stackstate-aws"
INSTALL_SCRIPT_URL="https://stackstate-agent-2.s3.amazonaws.com/install.sh"
PACKAGE="stackstate-agent"
SERVICE="stackstate-agent"
PLACEHOLDER="@@STACKSTATE_AWS_EXTERNAL_ID@@"
# AWS's ExternalId characters (2-1224 of them); none needs quoting inside '...' in YAML.
# Lengths are checked apart: POSIX regex bounds stop at 255.
EXTERNAL_ID_RE='^[A-Za-z0-9_+=,.@:/-]+$'
API_KEY_RE='^[A-Za-z0-9._~+=-]+$'
PROXY_BEGIN="# BEGIN stackstate-aws proxy"
PROXY_END="# END stackstate-aws proxy"

log() { echo "stackstate-aws-collector: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ -r "$SETTINGS" ]] || die "$SETTINGS is missing"
# shellcheck source=/dev/null
. "$SETTINGS"
: "${STS_URL:?STS_URL must be set in $SETTINGS}"
: "${API_KEY_PARAMETER:?API_KEY_PARAMETER must be set in $SETTINGS}"
: "${AWS_REGION_NAME:?AWS_REGION_NAME must be set in $SETTINGS}"
: "${AGENT_VERSION:?AGENT_VERSION must be set in $SETTINGS}"
PROXY_URL="${PROXY_URL:-}"
NO_PROXY_LIST="${NO_PROXY_LIST:-}"

if [[ -n "$PROXY_URL" ]]; then
    # For this script's own calls (SSM, the install script, the package manager).
    export HTTPS_PROXY="$PROXY_URL" HTTP_PROXY="$PROXY_URL" NO_PROXY="$NO_PROXY_LIST"
    export https_proxy="$PROXY_URL" http_proxy="$PROXY_URL" no_proxy="$NO_PROXY_LIST"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
changed=0
reload=0

# Prints a SecureString's value; the value never appears on a command line.
read_parameter() {
    aws ssm get-parameter --region "$AWS_REGION_NAME" --name "$1" --with-decryption \
        --query Parameter.Value --output text </dev/null
}

# install_file SRC DEST MODE [GROUP]: DEST gets SRC's content, mode and group, only when its content differs.
install_file() {
    local src="$1" dest="$2" mode="$3" group="${4:-}"
    if [[ -f "$dest" ]] && cmp -s "$src" "$dest"; then
        return 0
    fi
    mkdir -p "$(dirname "$dest")"
    chmod "$mode" "$src"
    if [[ -n "$group" ]]; then chgrp "$group" "$src"; fi
    mv -f "$src" "$dest"
    changed=1
    log "wrote $dest"
}

package_manager() {
    if command -v dnf >/dev/null; then echo dnf
    elif command -v yum >/dev/null; then echo yum
    elif command -v apt-get >/dev/null; then echo apt
    else die "no dnf, yum or apt-get: unsupported distribution"
    fi
}

# The installed Agent's upstream version (no epoch, no release), or nothing.
installed_version() {
    case "$(package_manager)" in
        dnf | yum) if rpm -q "$PACKAGE" >/dev/null 2>&1; then rpm -q --queryformat '%{VERSION}' "$PACKAGE"; fi ;;
        apt) dpkg-query -W -f '${Version}' "$PACKAGE" 2>/dev/null | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//' || true ;;
    esac
}

# Installs exactly AGENT_VERSION over whatever the install script put there.
pin_agent_version() {
    case "$(package_manager)" in
        dnf) dnf install -y "$PACKAGE-$AGENT_VERSION" ;;
        yum) yum install -y "$PACKAGE-$AGENT_VERSION" || yum downgrade -y "$PACKAGE-$AGENT_VERSION" ;;
        apt)
            local candidate
            candidate="$(apt-cache madison "$PACKAGE" | awk -v v="$AGENT_VERSION" '$3 ~ "^([0-9]+:)?" v "(-|$)" { print $3; exit }')"
            [[ -n "$candidate" ]] || die "the repository has no $PACKAGE $AGENT_VERSION"
            apt-get install -y --allow-downgrades "$PACKAGE=$candidate"
            apt-mark hold "$PACKAGE"
            ;;
    esac
}

ships_aws_topology() {
    compgen -G "$AGENT_PYTHON_LIB/python*/site-packages/stackstate_checks/aws_topology" >/dev/null
}

command -v aws >/dev/null || die "the AWS CLI is missing; use an AMI that has it (Amazon Linux does)"
api_key="$(read_parameter "$API_KEY_PARAMETER")" || die "cannot read the API key parameter $API_KEY_PARAMETER"
[[ "$api_key" =~ $API_KEY_RE && ${#api_key} -le 256 ]] ||
    die "the value of $API_KEY_PARAMETER is not a StackState API key (up to 256 letters, digits and ._~+=-)"

# 1. The Agent, at the pinned version: StackState's install script sets up the package
# repository and the main configuration; it does not start the Agent (STS_INSTALL_ONLY), so the
# check is configured before the first start.
if [[ "$(installed_version)" != "$AGENT_VERSION" ]]; then
    log "installing $PACKAGE $AGENT_VERSION"
    curl -fsSL --retry 5 -o "$WORK/install.sh" "$INSTALL_SCRIPT_URL"
    mkdir -p "$INSTALL_LOG_DIR"
    (cd "$INSTALL_LOG_DIR" && STS_API_KEY="$api_key" STS_URL="$STS_URL" STS_INSTALL_ONLY=true bash "$WORK/install.sh")
    pin_agent_version
    [[ "$(installed_version)" == "$AGENT_VERSION" ]] || die "$PACKAGE $AGENT_VERSION did not install (found '$(installed_version)')"
    changed=1
fi
ships_aws_topology || die "$PACKAGE $AGENT_VERSION does not ship the aws_topology check; set agentVersion to a build that does"
[[ -f "$MAIN_CONFIG" ]] || die "$MAIN_CONFIG is missing: the Agent is not installed correctly"

# 2. stackstate.yaml: the API key and receiver URL (so a rotated key lands on reboot), and the
# proxy for traffic to StackState in a block of our own.
if [[ -n "$PROXY_URL" ]] && awk -v b="$PROXY_BEGIN" -v e="$PROXY_END" '$0 == b { skip = 1 } !skip && /^proxy:/ { found = 1 } $0 == e { skip = 0 } END { exit !found }' "$MAIN_CONFIG"; then
    die "$MAIN_CONFIG already has a proxy section of its own; remove it or unset proxyUrl"
fi
API_KEY="$api_key" STS_URL="$STS_URL" PROXY_URL="$PROXY_URL" NO_PROXY_LIST="$NO_PROXY_LIST" \
    awk -v b="$PROXY_BEGIN" -v e="$PROXY_END" '
    $0 == b { skip = 1; next }
    $0 == e { skip = 0; next }
    skip { next }
    /^api_key:/ { print "api_key: '\''" ENVIRON["API_KEY"] "'\''"; key = 1; next }
    /^sts_url:/ { print "sts_url: '\''" ENVIRON["STS_URL"] "'\''"; url = 1; next }
    { print }
    END {
        if (!key) print "api_key: '\''" ENVIRON["API_KEY"] "'\''"
        if (!url) print "sts_url: '\''" ENVIRON["STS_URL"] "'\''"
        if (ENVIRON["PROXY_URL"] != "") {
            print b
            print "proxy:"
            print "  http: '\''" ENVIRON["PROXY_URL"] "'\''"
            print "  https: '\''" ENVIRON["PROXY_URL"] "'\''"
            print "  no_proxy:"
            n = split(ENVIRON["NO_PROXY_LIST"], hosts, ",")
            for (i = 1; i <= n; i++) print "    - '\''" hosts[i] "'\''"
            print e
        }
    }' "$MAIN_CONFIG" >"$WORK/stackstate.yaml"
install_file "$WORK/stackstate.yaml" "$MAIN_CONFIG" 0640 "$AGENT_GROUP"

# 3. The check's own AWS calls (boto3) honour HTTPS_PROXY/NO_PROXY from the service's environment.
if [[ -n "$PROXY_URL" ]]; then
    printf '[Service]\nEnvironment="HTTPS_PROXY=%s" "HTTP_PROXY=%s" "NO_PROXY=%s"\n' \
        "$PROXY_URL" "$PROXY_URL" "$NO_PROXY_LIST" >"$WORK/dropin.conf"
    cmp -s "$WORK/dropin.conf" "$DROPIN" 2>/dev/null || reload=1
    install_file "$WORK/dropin.conf" "$DROPIN" 0644
elif [[ -e "$DROPIN" ]]; then
    rm -f "$DROPIN"
    changed=1
    reload=1
fi

# 4. The aws_topology files: one per ExternalId, each from its template with the ExternalId
# read from SSM. Our files are named stackstate-aws-*.yaml; others in the folder are left alone.
declare -A wanted=()
if [[ -f "$TEMPLATES/manifest" ]]; then
    while read -r file parameter; do
        [[ -n "$file" ]] || continue
        [[ "$file" =~ ^stackstate-aws-[0-9]{12}\.yaml$ ]] || die "bad file name '$file' in $TEMPLATES/manifest"
        template="$(<"$TEMPLATES/$file")" || die "template $TEMPLATES/$file is missing"
        [[ "$template" == *"$PLACEHOLDER"* ]] || die "template $file has no ExternalId placeholder"
        external_id="$(read_parameter "$parameter")" || die "cannot read the ExternalId parameter $parameter"
        [[ "$external_id" =~ $EXTERNAL_ID_RE && ${#external_id} -ge 2 && ${#external_id} -le 1224 ]] ||
            die "the value of $parameter is not an ExternalId (2-1224 letters, digits and _+=,.@:/-)"
        printf '%s\n' "${template//"$PLACEHOLDER"/"$external_id"}" >"$WORK/$file"
        install_file "$WORK/$file" "$CHECK_DIR/$file" 0640 "$AGENT_GROUP"
        wanted["$file"]=1
    done <"$TEMPLATES/manifest"
fi
for existing in "$CHECK_DIR"/stackstate-aws-*.yaml; do
    [[ -e "$existing" ]] || continue
    if [[ -z "${wanted[$(basename "$existing")]:-}" ]]; then
        rm -f "$existing"
        changed=1
        log "removed $existing (no longer configured)"
    fi
done

# 5. Apply: restart only when something changed; otherwise make sure the Agent runs.
if [[ $reload == 1 ]]; then systemctl daemon-reload; fi
if [[ $changed == 1 ]]; then
    systemctl enable "$SERVICE"
    systemctl restart "$SERVICE"
    log "configured; $SERVICE restarted"
elif ! systemctl is-active --quiet "$SERVICE"; then
    systemctl start "$SERVICE"
fi
