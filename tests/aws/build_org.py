"""Builds a realistic organization in moto's server at AWS_ENDPOINT_URL with boto3, for
tests/aws/run.sh (docs/import.md, "Walkthrough on moto"):

* 13 member accounts in OUs (Security, Infrastructure, Workloads/Prod, Workloads/Dev,
  Sandbox, Suspended), two of them closed (SUSPENDED);
* trusted access for sso.amazonaws.com and security-tooling as its delegated administrator;
* two AWS Managed Microsoft AD directories in two accounts: corp.example.com in
  security-tooling (made with credentials of sts assume-role into its
  OrganizationAccountAccessRole: moto decides the caller's account by the access key) and
  legacy.example.com in the management account;
* IAM Identity Center: permission sets AdministratorAccess, ReadOnlyAccess,
  PowerUserAccess and BillingAccess (provisioned, not assigned), users, groups,
  memberships and assignments, some to the management account.

    AWS_ENDPOINT_URL=http://127.0.0.1:PORT python3 tests/aws/build_org.py

Prints the accounts' names and ids. moto stands in for AWS's API shapes, not its behaviour:
this script makes only calls AWS would accept."""
import os
import sys

import boto3

REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
URL = os.environ.get("AWS_ENDPOINT_URL")
if not URL:
    sys.exit("build_org.py: AWS_ENDPOINT_URL is not set (moto's server, e.g. http://127.0.0.1:5000)")

OUS = {
    "Security": ["security-tooling", "log-archive"],
    "Infrastructure": ["network", "shared-services"],
    "Workloads/Prod": ["payments-prod", "catalog-prod"],
    "Workloads/Dev": ["payments-dev", "catalog-dev"],
    "Sandbox": ["sandbox-alice", "sandbox-bob", "sandbox-carol"],
    "Suspended": ["legacy-billing", "legacy-reports"],
}
CLOSED = ["legacy-billing", "legacy-reports"]


def client(service, creds=None):
    kw = {}
    if creds:
        kw = dict(aws_access_key_id=creds["AccessKeyId"],
                  aws_secret_access_key=creds["SecretAccessKey"],
                  aws_session_token=creds["SessionToken"])
    return boto3.client(service, region_name=REGION, endpoint_url=URL, **kw)


def organization():
    o = client("organizations")
    o.create_organization(FeatureSet="ALL")
    root = o.list_roots()["Roots"][0]["Id"]
    ous, ids = {}, {}
    for path, names in OUS.items():
        parent = root
        for part in path.split("/"):
            key = path[: path.index(part) + len(part)]
            if key not in ous:
                ous[key] = o.create_organizational_unit(ParentId=parent, Name=part)[
                    "OrganizationalUnit"]["Id"]
            parent = ous[key]
        for n in names:
            st = o.create_account(AccountName=n, Email=f"aws+{n}@example.com")
            ids[n] = st["CreateAccountStatus"]["AccountId"]
            o.move_account(AccountId=ids[n], SourceParentId=root, DestinationParentId=parent)
    ids["management"] = o.describe_organization()["Organization"]["MasterAccountId"]
    o.enable_aws_service_access(ServicePrincipal="sso.amazonaws.com")
    o.register_delegated_administrator(AccountId=ids["security-tooling"],
                                       ServicePrincipal="sso.amazonaws.com")
    for n in CLOSED:
        o.close_account(AccountId=ids[n])
    return ids


def directory(name, creds=None):
    """An AWS Managed Microsoft AD directory in the credentials' account, in a VPC of its own."""
    ec2 = client("ec2", creds)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24",
                                 AvailabilityZone=f"{REGION}{az}")["Subnet"]["SubnetId"]
               for i, az in ((1, "a"), (2, "b"))]
    ds = client("ds", creds)
    return ds.create_microsoft_ad(Name=name, Password="Passw0rd-Example!", Edition="Standard",
                                  VpcSettings={"VpcId": vpc, "SubnetIds": subnets})["DirectoryId"]


def assume(account):
    sts = client("sts")
    role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    return sts.assume_role(RoleArn=role, RoleSessionName="build-org")["Credentials"]


def identity_center(ids):
    sso = client("sso-admin")
    inst = sso.list_instances()["Instances"][0]
    arn, store = inst["InstanceArn"], inst["IdentityStoreId"]
    ps = {p: sso.create_permission_set(InstanceArn=arn, Name=p)["PermissionSet"]["PermissionSetArn"]
          for p in ["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "BillingAccess"]}
    # Provisioned without an assignment (moto provisions to the caller's account, the
    # management account, whatever the TargetId).
    sso.provision_permission_set(InstanceArn=arn, PermissionSetArn=ps["BillingAccess"],
                                 TargetType="AWS_ACCOUNT", TargetId=ids["management"])
    store_c = client("identitystore")
    uid = {u: store_c.create_user(IdentityStoreId=store, UserName=u, DisplayName=u.title(),
                                  Name={"GivenName": u.title(), "FamilyName": "Example"})["UserId"]
           for u in ["alice", "bob", "carol", "dave", "erin", "frank"]}
    gid = {g: store_c.create_group(IdentityStoreId=store, DisplayName=g)["GroupId"]
           for g in ["platform-admins", "auditors", "developers"]}
    for g, members in {"platform-admins": ["bob", "carol"], "auditors": ["carol"],
                       "developers": ["dave", "erin", "frank"]}.items():
        for u in members:
            store_c.create_group_membership(IdentityStoreId=store, GroupId=gid[g],
                                            MemberId={"UserId": uid[u]})

    def assign(account, p, kind, principal):
        sso.create_account_assignment(InstanceArn=arn, TargetId=ids[account],
                                      TargetType="AWS_ACCOUNT", PermissionSetArn=ps[p],
                                      PrincipalType=kind, PrincipalId=principal)
    assign("management", "AdministratorAccess", "USER", uid["alice"])
    assign("management", "AdministratorAccess", "GROUP", gid["platform-admins"])
    assign("management", "ReadOnlyAccess", "GROUP", gid["auditors"])
    assign("log-archive", "ReadOnlyAccess", "GROUP", gid["auditors"])
    for a in ["payments-dev", "catalog-dev"]:
        assign(a, "PowerUserAccess", "GROUP", gid["developers"])
    for a in ["payments-prod", "catalog-prod"]:
        assign(a, "ReadOnlyAccess", "GROUP", gid["developers"])


def main():
    ids = organization()
    directory("corp.example.com", assume(ids["security-tooling"]))
    directory("legacy.example.com")
    identity_center(ids)
    for n, i in sorted(ids.items(), key=lambda x: x[1]):
        print(f"{i} {n}")


if __name__ == "__main__":
    main()
