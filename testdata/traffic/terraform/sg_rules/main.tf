terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

# The ecslocal endpoint (host:port), e.g. -var endpoint=127.0.0.1:8790.
variable "endpoint" {
  type = string
}

provider "alicloud" {
  access_key             = "test"
  secret_key             = "test"
  region                 = "cn-hangzhou"
  protocol               = "HTTP"
  skip_region_validation = true
  # Known up front, so the provider asks BssOpenApi nothing at start.
  account_type = "Domestic"
  endpoints {
    ecs = var.endpoint
    vpc = var.endpoint
    slb = var.endpoint
  }
}

resource "alicloud_vpc" "main" {
  vpc_name   = "tf-vpc"
  cidr_block = "172.16.0.0/12"
}

resource "alicloud_vswitch" "main" {
  vswitch_name = "tf-vsw"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "172.16.1.0/24"
  zone_id      = "cn-hangzhou-h"
}

resource "alicloud_security_group" "main" {
  security_group_name = "tf-sg-rules"
  vpc_id              = alicloud_vpc.main.id
}

# Destroying these revokes them over the provider's HTTPS-only path
# (RevokeSecurityGroup, RevokeSecurityGroupEgress).
resource "alicloud_security_group_rule" "ssh_in" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "22/22"
  cidr_ip           = "10.0.0.0/8"
  policy            = "accept"
  priority          = 1
  nic_type          = "intranet"
  security_group_id = alicloud_security_group.main.id
  description       = "ssh from the office"
}

resource "alicloud_security_group_rule" "https_in" {
  type              = "ingress"
  ip_protocol       = "tcp"
  port_range        = "443/443"
  cidr_ip           = "0.0.0.0/0"
  policy            = "accept"
  priority          = 10
  nic_type          = "intranet"
  security_group_id = alicloud_security_group.main.id
}

resource "alicloud_security_group_rule" "icmp_drop" {
  type              = "ingress"
  ip_protocol       = "icmp"
  port_range        = "-1/-1"
  cidr_ip           = "192.168.0.0/16"
  policy            = "drop"
  priority          = 100
  nic_type          = "intranet"
  security_group_id = alicloud_security_group.main.id
}

resource "alicloud_security_group_rule" "all_out" {
  type              = "egress"
  ip_protocol       = "all"
  port_range        = "-1/-1"
  cidr_ip           = "0.0.0.0/0"
  policy            = "accept"
  priority          = 1
  nic_type          = "intranet"
  security_group_id = alicloud_security_group.main.id
}

resource "alicloud_security_group_rule" "dns_out" {
  type              = "egress"
  ip_protocol       = "udp"
  port_range        = "53/53"
  cidr_ip           = "100.100.2.136/32"
  policy            = "accept"
  priority          = 1
  nic_type          = "intranet"
  security_group_id = alicloud_security_group.main.id
}

# Ingress from another group's members rather than from an address range.
resource "alicloud_security_group" "peer" {
  security_group_name = "tf-sg-peer"
  vpc_id              = alicloud_vpc.main.id
}

resource "alicloud_security_group_rule" "from_peer" {
  type                     = "ingress"
  ip_protocol              = "tcp"
  port_range               = "8080/8080"
  source_security_group_id = alicloud_security_group.peer.id
  policy                   = "accept"
  priority                 = 5
  nic_type                 = "intranet"
  security_group_id        = alicloud_security_group.main.id
}
